package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.kafka.EmbeddedKafka;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `run` before it starts Flink: what it says when the broker lacks the job's topics. */
class RunCommandITCase {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) kafka.close();
    }

    @Test
    void aMissingInputTopicIsOneLineNamingTheTopicTheBrokerAndHowToCreateIt() throws Exception {
        String broker = kafka.bootstrapServers();
        CliRunner cli = CliRunner.withEnv(Map.of());
        long started = System.nanoTime();
        CliRunner.Run run = cli.runDefaultPipeline(broker);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("error: ")))
                .containsExactly(
                        "error: input topic `audio.chunks`, results topic `audio.results`,"
                                + " dead-letter topic `audio.dlq` do not exist on "
                                + broker
                                + "; create them first: kafka-topics.sh --bootstrap-server "
                                + broker
                                + " --create --topic audio.chunks && kafka-topics.sh"
                                + " --bootstrap-server "
                                + broker
                                + " --create --topic audio.results && kafka-topics.sh"
                                + " --bootstrap-server "
                                + broker
                                + " --create --topic audio.dlq");
        assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);

        // With the outputs present, only the input is named.
        kafka.createTopics(Map.of("audio.results", 1, "audio.dlq", 1));
        run = cli.runDefaultPipeline(broker);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("error: input topic `audio.chunks` does not exist on " + broker)
                .doesNotContain("audio.results`");
    }

    @Test
    void anUnreachableBrokerIsOneLineWithinTheCheck() {
        CliRunner.Run run = CliRunner.withEnv(Map.of()).runDefaultPipeline("127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error: cannot reach Kafka at 127.0.0.1:1");
    }
}
