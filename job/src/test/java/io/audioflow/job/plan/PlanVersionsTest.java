package io.audioflow.job.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.cli.CliRunner;
import io.audioflow.pipeline.plugin.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} on a stage whose plugin moves to another version, with real plugin jars of three
 * versions: a minor upgrade restores the old sessions (the SPI's default declaration), a major one
 * does not, and says so.
 */
class PlanVersionsTest {

    @TempDir static Path dir;
    private static Path plugins;

    @BeforeAll
    static void threeVersionsOfOnePlugin() throws Exception {
        plugins = Files.createDirectory(dir.resolve("plugins"));
        for (String version : List.of("1.0.0", "1.1.0", "2.0.0")) {
            String pkg = "pauses" + version.replace(".", "");
            PluginJars.build(
                    plugins,
                    "pauses-" + version + ".jar",
                    Map.of(
                            pkg + ".Plugin",
                            PluginJars.analyzer(pkg, "pauses", version, "^1.0"),
                            "com.example.Lib",
                            PluginJars.library(1.0)),
                    List.of(pkg + ".Plugin"));
        }
    }

    private static Path pipeline(String name, String processor) throws Exception {
        return Files.writeString(
                dir.resolve(name + ".yaml"),
                "name: p\nversion: 1.0.0\nplugins:\n  paths: ["
                        + plugins
                        + "]\nstages:\n  - {name: decode, processor: decode}\n"
                        + "  - {name: gaps, processor: "
                        + processor
                        + ", dependencies: [decode]}\n");
    }

    private static CliRunner.Run plan(Path from, Path to) {
        return CliRunner.withEnv(Map.of("PLUGIN_CACHE", "none"))
                .run("plan", from.toString(), to.toString());
    }

    @Test
    void aMinorUpgradeRestoresTheOldSessions() throws Exception {
        CliRunner.Run run = plan(pipeline("v1", "pauses@1.0.0"), pipeline("v11", "pauses@~1.1"));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "processor versions:\n  `gaps`: pauses@1.0.0 -> 1.1.0 (restores the state of")
                .contains("safe: every operator's state restores");
    }

    @Test
    void aMajorUpgradeDoesNotAndSaysWhatToDo() throws Exception {
        CliRunner.Run run = plan(pipeline("v1", "pauses@1.0.0"), pipeline("v2", "pauses@^2.0"));
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
        assertThat(run.out())
                .contains("`gaps`: pauses@1.0.0 -> 2.0.0 (declares it restores only")
                .contains("does not read the sessions 1.0.0 wrote")
                .contains("drain open recordings first, or give the stage a new uid");
    }
}
