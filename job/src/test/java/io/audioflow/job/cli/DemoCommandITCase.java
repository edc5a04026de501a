package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a new user runs it: {@code demo} starts its own broker and a local
 * Flink, publishes {@code test-data/audio} and three malformed messages, and shows a result for
 * every recording (the corrupt one with its error) and a dead letter for each bad message.
 */
class DemoCommandITCase {

    private static final Path AUDIO = Path.of("../test-data/audio");

    @Test
    void theDemoShowsEveryRecordingsResultAndEachBadMessagesDeadLetter() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(AUDIO)) {
            files = list.map(f -> f.getFileName().toString()).sorted().toList();
        }
        CliRunner.Run run =
                CliRunner.withEnv(Map.of())
                        .run(
                                "demo",
                                "--pipeline",
                                "../config/pipeline.yaml",
                                "--audio",
                                AUDIO.toString(),
                                "--parallelism",
                                "1");
        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        assertThat(run.out())
                .contains(files)
                .contains("demo-corrupt.wav", "truncated_header")
                .contains("Dead letters (audio.dlq): 3", "unknown_format", "missing_key")
                .contains((files.size() + 1) + " result(s), 3 dead letter(s)");
        assertThat(run.err()).contains("Kafka 4.2 broker (KRaft, in process)");
    }
}
