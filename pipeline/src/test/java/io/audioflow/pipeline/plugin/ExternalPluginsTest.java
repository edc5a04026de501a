package io.audioflow.pipeline.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.VersionConstraint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins compiled into jars at test time, good and broken, loaded from plugin paths. */
class ExternalPluginsTest {

    /** A jar with one analyzer plugin and the version of com.example.Lib it bundles. */
    private static void pluginJar(Path dir, String name, String version, String spi, double lib)
            throws Exception {
        PluginJars.build(
                dir,
                name + ".jar",
                Map.of(
                        name + ".Plugin",
                        PluginJars.analyzer(name, name, version, spi),
                        "com.example.Lib",
                        PluginJars.library(lib)),
                List.of(name + ".Plugin"));
    }

    private static double libVersionSeenBy(LoadedPlugin plugin) {
        AudioAnalyzer analyzer = (AudioAnalyzer) plugin.plugin();
        AudioAnalyzer.Accumulator acc =
                analyzer.open(new AudioFormat(8000, 1), StageContext.of("s", StageConfig.empty()));
        acc.accept(new AudioBlock(new AudioFormat(8000, 1), 0, new float[8]));
        return acc.result().get(0).value();
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryEachSeeTheirOwn(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins, "alpha", "1.0.0", "^1.0", 1.0);
        pluginJar(plugins, "beta", "2.3.0", "^1.0", 2.0);
        PluginRegistry registry =
                PluginRegistry.load(List.of(plugins.toString()), LifecycleListener.NONE);
        assertThat(registry.rejected()).isEmpty();
        assertThat(registry.names()).contains("alpha", "beta", "temporal");
        LoadedPlugin alpha = registry.find("alpha", VersionConstraint.ANY).orElseThrow();
        LoadedPlugin beta = registry.find("beta", VersionConstraint.parse("^2")).orElseThrow();
        assertThat(libVersionSeenBy(alpha)).isEqualTo(1.0);
        assertThat(libVersionSeenBy(beta)).isEqualTo(2.0);
        assertThat(alpha.source()).endsWith("alpha.jar");
        // The SPI comes from the host, so the plugin's types are the host's types.
        assertThat(AudioAnalyzer.class.isInstance(alpha.plugin())).isTrue();
    }

    @Test
    void reportsEveryBrokenCandidateWithItsReasonAndKeepsTheGoodOnes(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins, "good", "1.0.0", "^1.0", 1.0);
        pluginJar(plugins, "future", "9.0.0", "^2.0", 1.0);
        PluginJars.build(
                plugins,
                "missing.jar",
                Map.of("com.example.Lib", PluginJars.library(1.0)),
                List.of("missing.Plugin"));
        PluginJars.build(
                plugins,
                "no-manifest.jar",
                Map.of("com.example.Lib", PluginJars.library(1.0)),
                null);
        PluginJars.build(
                plugins,
                "no-default-ctor.jar",
                Map.of(
                        "ctor.Plugin",
                        "package ctor; public class Plugin implements io.audioflow.api.StagePlugin { public Plugin(int x) {} public io.audioflow.api.PluginInfo info() { return null; } }"),
                List.of("ctor.Plugin"));
        PluginJars.build(
                plugins,
                "throws.jar",
                Map.of(
                        "boom.Plugin",
                        "package boom; public class Plugin implements io.audioflow.api.StagePlugin { public Plugin() { throw new IllegalStateException(\"no licence key\"); } public io.audioflow.api.PluginInfo info() { return null; } }"),
                List.of("boom.Plugin"));
        PluginJars.build(
                plugins,
                "not-a-plugin.jar",
                Map.of("plain.Thing", "package plain; public class Thing {}"),
                List.of("plain.Thing"));
        PluginRegistry registry =
                PluginRegistry.load(
                        List.of(plugins.toString(), dir.resolve("nowhere").toString()),
                        LifecycleListener.NONE);

        assertThat(registry.names()).contains("good").doesNotContain("future");
        assertThat(registry.rejected())
                .extracting(RejectedPlugin::reason)
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .contains(
                                                "future@9.0.0 supports SPI ^2.0 but this audioflow provides SPI "
                                                        + io.audioflow.api.Spi.VERSION))
                .anySatisfy(r -> assertThat(r).contains("class not found in the plugin's jars"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .contains(
                                                "no META-INF/services/io.audioflow.api.StagePlugin file"))
                .anySatisfy(r -> assertThat(r).contains("public no-argument constructor"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .contains(
                                                "constructor threw java.lang.IllegalStateException: no licence key"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .contains(
                                                "does not implement io.audioflow.api.StagePlugin"))
                .anySatisfy(r -> assertThat(r).contains("plugin path does not exist"));
    }

    @Test
    void aFileThatIsNoZipIsReportedAsSuchNotAsAJarWithoutServices(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        byte[] noise = new byte[4096];
        new java.util.Random(3).nextBytes(noise);
        Files.write(plugins.resolve("x.jar"), noise);
        PluginRegistry registry =
                PluginRegistry.load(List.of(plugins.toString()), LifecycleListener.NONE);
        assertThat(registry.rejected())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.reason())
                                        .startsWith("x.jar is not a valid jar (zip) file")
                                        .doesNotContain("META-INF/services"));
    }

    @Test
    void theSameNameAndVersionTwiceIsInstalledOnce(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        PluginJars.build(
                plugins,
                "a.jar",
                Map.of(
                        "p.Plugin",
                        PluginJars.analyzer("p", "twin", "1.0.0", "^1.0"),
                        "com.example.Lib",
                        PluginJars.library(1.0)),
                List.of("p.Plugin"));
        PluginJars.build(
                plugins,
                "b.jar",
                Map.of(
                        "p.Plugin",
                        PluginJars.analyzer("p", "twin", "1.0.0", "^1.0"),
                        "com.example.Lib",
                        PluginJars.library(2.0)),
                List.of("p.Plugin"));
        PluginRegistry registry =
                PluginRegistry.load(List.of(plugins.toString()), LifecycleListener.NONE);
        assertThat(registry.versionsOf("twin")).hasSize(1);
        assertThat(registry.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("twin@1.0.0 is installed twice"));
    }

    @Test
    void withPinningOnlyJarsWithAnAllowedDigestLoadAndARefusedOneShowsItsDigest(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        pluginJar(plugins, "trusted", "1.0.0", "^1.0", 1.0);
        pluginJar(plugins, "stranger", "1.0.0", "^1.0", 1.0);
        String trusted = ExternalPlugins.sha256(plugins.resolve("trusted.jar"));
        String stranger = ExternalPlugins.sha256(plugins.resolve("stranger.jar"));
        assertThat(trusted).hasSize(64).isNotEqualTo(stranger);

        PluginRegistry pinned =
                PluginRegistry.load(
                        List.of(plugins.toString()),
                        List.of(trusted.toUpperCase(java.util.Locale.ROOT)),
                        LifecycleListener.NONE);
        assertThat(pinned.names()).contains("trusted", "temporal").doesNotContain("stranger");
        assertThat(pinned.rejected())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.reason())
                                        .contains("stranger.jar", "sha256 " + stranger)
                                        .contains("plugins.allowed_sha256"));

        assertThat(pinned.pinnedOut())
                .singleElement()
                .satisfies(
                        j -> {
                            assertThat(j.jar()).isEqualTo("stranger.jar");
                            assertThat(j.sha256()).isEqualTo(stranger);
                            assertThat(j.pluginClasses()).containsExactly("stranger.Plugin");
                            assertThat(j.mayHold("stranger")).isTrue();
                            assertThat(j.mayHold("trusted")).isFalse();
                        });

        // A jar changed after it was pinned is a different jar.
        Files.write(
                plugins.resolve("trusted.jar"),
                new byte[] {0},
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(
                        PluginRegistry.load(
                                        List.of(plugins.toString()),
                                        List.of(trusted),
                                        LifecycleListener.NONE)
                                .names())
                .doesNotContain("trusted");
        assertThat(PluginRegistry.load(List.of(plugins.toString()), LifecycleListener.NONE).names())
                .as("without pinning, every jar loads")
                .contains("stranger");
    }
}
