package io.audioflow.pipeline.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PluginLoadException;
import io.audioflow.api.VersionConstraint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry cache: unchanged jars are not opened again, changed ones are, pins still hold. */
class PluginIndexTest {

    /** A plugin whose constructor counts its instances in a system property. */
    private static String countingPlugin(Path dir, String version) throws Exception {
        String name = "p" + UUID.randomUUID().toString().substring(0, 8);
        String source =
                PluginJars.analyzer(name, name, version, "^1.0")
                        .replace(
                                "public class Plugin implements AudioAnalyzer {",
                                "public class Plugin implements AudioAnalyzer {\n"
                                        + "    public Plugin() { System.setProperty(\"made."
                                        + name
                                        + "\", String.valueOf(Integer.getInteger(\"made."
                                        + name
                                        + "\", 0) + 1)); }");
        PluginJars.build(
                dir,
                name + ".jar",
                Map.of(name + ".Plugin", source, "com.example.Lib", PluginJars.library(1.0)),
                List.of(name + ".Plugin"));
        return name;
    }

    private static int made(String name) {
        return Integer.getInteger("made." + name, 0);
    }

    private static PluginRegistry scan(Path plugins, Path index, List<String> pinned) {
        return PluginRegistry.load(
                List.of(plugins.toString()), pinned, LifecycleListener.NONE, PluginIndex.at(index));
    }

    @Test
    void anUnchangedJarIsDeclaredFromTheIndexAndOpenedOnlyWhenUsed(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path index = dir.resolve("index.bin");
        String name = countingPlugin(plugins, "1.0.0");
        PluginJars.build(
                plugins, "broken.jar", Map.of("com.example.Lib", PluginJars.library(1.0)), null);

        PluginRegistry first = scan(plugins, index, List.of());
        assertThat(made(name)).as("the first scan opens the jar").isEqualTo(1);
        assertThat(index).exists();

        PluginRegistry second = scan(plugins, index, List.of());
        assertThat(made(name)).as("the second declares it from the index").isEqualTo(1);
        LoadedPlugin p = second.find(name, VersionConstraint.ANY).orElseThrow();
        assertThat(p.info())
                .isEqualTo(first.find(name, VersionConstraint.ANY).orElseThrow().info());
        assertThat(second.rejected())
                .as("a broken candidate is remembered with its reason")
                .isEqualTo(first.rejected());
        assertThat(p.plugin().info().name()).isEqualTo(name);
        assertThat(made(name)).as("used, so loaded").isEqualTo(2);
    }

    @Test
    void aChangedJarIsScannedAgain(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path index = dir.resolve("index.bin");
        String name = countingPlugin(plugins, "1.0.0");
        scan(plugins, index, List.of());
        Path jar = plugins.resolve(name + ".jar");
        Path other = Files.createDirectory(dir.resolve("other"));
        String newer = countingPlugin(other, "1.1.0");
        // Same file name, new content: what a redeploy of the plugin does.
        Files.move(
                other.resolve(newer + ".jar"),
                jar,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        PluginRegistry again = scan(plugins, index, List.of());
        assertThat(again.names()).contains(newer).doesNotContain(name);
    }

    @Test
    void aPinnedJarSwappedUnderTheSameSizeAndTimeIsStillRefusedWhenLoaded(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path index = dir.resolve("index.bin");
        String name = countingPlugin(plugins, "1.0.0");
        Path jar = plugins.resolve(name + ".jar");
        String digest = ExternalPlugins.sha256(jar);
        scan(plugins, index, List.of(digest));
        FileTime time = Files.getLastModifiedTime(jar);
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length - 30] ^= 1; // inside the zip's central directory: size unchanged
        Files.write(jar, bytes);
        Files.setLastModifiedTime(jar, time);

        PluginRegistry pinned = scan(plugins, index, List.of(digest));
        LoadedPlugin p = pinned.find(name, VersionConstraint.ANY).orElseThrow();
        assertThatThrownBy(p::plugin)
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("changed since it was indexed");
    }

    @Test
    void aDamagedIndexIsIgnoredAndRewritten(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path index = dir.resolve("index.bin");
        Files.writeString(index, "not an index");
        String name = countingPlugin(plugins, "1.0.0");
        assertThat(scan(plugins, index, List.of()).names()).contains(name);
        assertThat(made(name)).isEqualTo(1);
        scan(plugins, index, List.of());
        assertThat(made(name)).isEqualTo(1);
    }
}
