package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAX_WORKERS bounds every operator, a stage's own parallelism included. */
class MaxWorkersTest {

    @Test
    void aStagesOwnParallelismIsCappedAndTheCapIsSaidOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(
                file,
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n"
                        + "  - {name: level, processor: temporal, dependencies: [decode],"
                        + " parallelism: 3}\n");
        CliRunner.Run capped =
                CliRunner.withEnv(Map.of("MAX_WORKERS", "1")).run("visualize", file.toString());
        assertThat(capped.exitCode()).isZero();
        assertThat(capped.out()).contains("parallelism 1").doesNotContain("parallelism 3");
        assertThat(capped.err().lines().filter(l -> l.startsWith("warning: ")))
                .containsExactly(
                        "warning: stage `level` asks for parallelism 3; MAX_WORKERS=1 lowers it"
                                + " to 1");

        CliRunner.Run free = CliRunner.withEnv(Map.of()).run("visualize", file.toString());
        assertThat(free.out()).contains("parallelism 3");
        assertThat(free.err()).doesNotContain("MAX_WORKERS");
    }
}
