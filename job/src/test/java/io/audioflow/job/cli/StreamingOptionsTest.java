package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.compile.GraphSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the streaming flags of {@code run} and the job jar set in the job they start. */
class StreamingOptionsTest {

    private static StreamingOptions.Resolved resolved(String... flags) {
        StreamingOptions options = CommandLine.populateCommand(new StreamingOptions(), flags);
        StringWriter err = new StringWriter();
        var resolved = options.resolve(new Environment(Map.of()), new PrintWriter(err, true));
        assertThat(resolved).as(err.toString()).isPresent();
        return resolved.get();
    }

    @Test
    void eachFlagOverridesWhatThePipelineSays() {
        StreamingOptions.Resolved r =
                resolved(
                        "--pipeline",
                        "../config/pipeline.yaml",
                        "--bootstrap-servers",
                        "broker-7:9093",
                        "--parallelism",
                        "1",
                        "--checkpoint-interval-ms",
                        "2500",
                        "--buffer-timeout-ms",
                        "7",
                        "--state-backend",
                        "rocksdb",
                        "--restart-attempts",
                        "0");
        assertThat(r.kafka().bootstrapServers()).isEqualTo("broker-7:9093");
        assertThat(r.parallelism()).isEqualTo(1);
        assertThat(r.execution().checkpointing().intervalMs()).isEqualTo(2500);
        assertThat(r.execution().bufferTimeout()).isEqualTo(Duration.ofMillis(7));
        assertThat(r.execution().checkpointing().stateBackend()).isEqualTo("rocksdb");
        assertThat(r.execution().restarts().attempts()).isZero();
    }

    @Test
    void withoutFlagsTheJobRunsAsThePipelineAndTheDefaultsSay() {
        StreamingOptions.Resolved r = resolved("--pipeline", "../config/pipeline.yaml");
        assertThat(r.execution().bufferTimeout()).isEqualTo(GraphSettings.BUFFER_TIMEOUT);
        assertThat(r.execution().checkpointing().intervalMs()).isEqualTo(10_000);
        assertThat(r.execution().checkpointing().stateBackend()).isEqualTo("hashmap");
        assertThat(r.parallelism()).isEqualTo(StreamingOptions.DEFAULT_PARALLELISM);
    }

    @Test
    void zeroSendsEachResultAtOnce() {
        StreamingOptions.Resolved r =
                resolved("--pipeline", "../config/pipeline.yaml", "--buffer-timeout-ms", "0");
        assertThat(r.execution().bufferTimeout()).isZero();
    }
}
