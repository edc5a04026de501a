package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.LifecycleListener;
import io.audioflow.pipeline.plugin.PluginJars;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A processor whose jar pinning refused is reported as that, not as a typo. */
class PinnedPluginsTest {

    @Test
    void aStageUsingAPinnedOutProcessorNamesTheJarItsDigestAndTheFix(@TempDir Path dir)
            throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        PluginJars.build(
                plugins,
                "pauses.jar",
                Map.of(
                        "pauses.Plugin",
                        PluginJars.analyzer("pauses", "pauses", "1.0.0", "^1.0"),
                        "com.example.Lib",
                        PluginJars.library(1.0)),
                List.of("pauses.Plugin"));
        String digest =
                PluginRegistry.sha256(plugins.resolve("pauses.jar").toString()).orElseThrow();
        String other = "ab".repeat(32);
        String yaml =
                "name: p\nversion: 1.0.0\nplugins:\n  paths: ["
                        + plugins
                        + "]\n  allowed_sha256: ["
                        + other
                        + "]\nstages:\n  - {name: decode, processor: decode}\n"
                        + "  - {name: gaps, processor: pauses, dependencies: [decode]}\n";
        var result =
                PipelineLoader.withPluginPaths(
                                Map.of("PLUGIN_CACHE", "none"), LifecycleListener.NONE)
                        .load(yaml.getBytes(), "p.yaml", new Problems());

        assertThat(result.pipeline()).isEmpty();
        assertThat(result.problems().errors())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.at().line()).isEqualTo(8);
                            assertThat(p.message())
                                    .isEqualTo(
                                            "processor `pauses` of stage `gaps` is in plugin jar"
                                                    + " pauses.jar (sha256 "
                                                    + digest
                                                    + "), which pinning refused: its digest is not"
                                                    + " in plugins.allowed_sha256")
                                    .doesNotContain("unknown processor");
                            assertThat(p.fix()).contains("add its digest").endsWith(digest);
                        });
    }
}
