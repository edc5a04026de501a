package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalResultFileTest {

    @Test
    void writesOneLinePerResultAndARestartedWriterStartsTheFileAgain(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("results.jsonl");
        LocalResultFile sink = new LocalResultFile(file);

        try (SinkWriter<String> first = sink.createWriter(null)) {
            first.write("{\"recording_id\":\"a.wav\"}", null);
            first.write("{\"recording_id\":\"b.wav\"}", null);
            first.flush(false);
        }
        assertThat(Files.readAllLines(file))
                .containsExactly("{\"recording_id\":\"a.wav\"}", "{\"recording_id\":\"b.wav\"}");

        try (SinkWriter<String> restarted = sink.createWriter(null)) {
            restarted.write("{\"recording_id\":\"a.wav\"}", null);
            restarted.flush(true);
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"recording_id\":\"a.wav\"}");
    }
}
