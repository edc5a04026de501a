package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.cli.CliRunner;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audioflow replay} end to end on the in-process broker and MiniCluster. A job whose limit
 * cuts a 2 s recording after 1 s, and a recording with a broken WAV header, fill the dead letters.
 * After the fix (the limit raised; the header's bytes supplied from a file) {@code replay}
 * publishes each recording again, whole, and the fixed job gives exactly one complete result per
 * recording marked as a replay; replaying again publishes nothing and no second result comes.
 */
class ReplayITCase {

    @TempDir Path dir;

    @Test
    void failedRecordingsComeBackOnceWholeAndMarkedAsReplays() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 2);
            Path sine = KafkaFixture.AUDIO.resolve("sine-1k-16k-mono.wav"); // 2 s
            try (ChunkPublisher publisher =
                            new ChunkPublisher(
                                    kafka.bootstrapServers(), topics.inputTopic(), 500, Map.of());
                    var producer =
                            new KafkaProducer<>(
                                    Map.<String, Object>of(
                                            "bootstrap.servers", kafka.bootstrapServers()),
                                    new ByteArraySerializer(),
                                    new ByteArraySerializer())) {
                publisher.publish(sine, "long.wav", "pcm_s16le", 0, 0);
                producer.send(
                        KafkaFixture.message(
                                topics.inputTopic(),
                                KafkaFixture.utf8("bad.wav"),
                                KafkaFixture.utf8("RIFF\0\0\0\0WAVEnot audio"),
                                KafkaFixture.containerHeaders(0, true, "wav")));
            }

            // 1. A pipeline whose limit is too tight: long.wav is cut after its first second.
            Path tight =
                    Files.writeString(
                            dir.resolve("tight.yaml"),
                            Files.readString(Path.of("../config/pipeline.yaml"))
                                    .replace(
                                            "max_recording_seconds: 14400",
                                            "max_recording_seconds: 1"));
            JobClient first = start(load(tight), topics, "tight");
            List<JsonNode> failed;
            List<ConsumerRecord<byte[], byte[]>> deadLetters;
            try {
                failed =
                        KafkaFixture.results(
                                kafka.bootstrapServers(),
                                topics.resultsTopic(),
                                2,
                                Duration.ofSeconds(90));
                try (TopicReader reader =
                        new TopicReader(kafka.bootstrapServers(), topics.dlqTopic())) {
                    deadLetters = reader.read(3, Duration.ofSeconds(30));
                }
            } finally {
                first.cancel().get();
            }
            assertThat(failed)
                    .anySatisfy(
                            r -> {
                                assertThat(r.path("recording_id").asText()).isEqualTo("long.wav");
                                assertThat(r.path("complete").asBoolean()).isFalse();
                            });
            assertThat(deadLetters)
                    .extracting(d -> KafkaFixture.header(d, "audioflow.error.code"))
                    .contains("recording_too_long", "truncated_header");

            // 2. The fix is deployed: a job with the default limits, reading from now on.
            JobClient fixed =
                    start(
                            KafkaFixture.defaultPipeline(),
                            topics.toBuilder().startAt(System.currentTimeMillis()).build(),
                            "fixed");
            try {
                CliRunner cli = CliRunner.withEnv(Map.of());
                CliRunner.Run dry = replay(cli, kafka, topics, "--dry-run");
                assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
                assertThat(dry.out())
                        .contains("would replay long.wav as long.wav~replay-1: 4 chunk(s)")
                        .contains("would replay bad.wav as bad.wav~replay-1: 2 chunk(s)");

                CliRunner.Run run = replay(cli, kafka, topics);
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                assertThat(run.out())
                        .contains("replayed long.wav as long.wav~replay-1: 4 chunk(s)")
                        .contains("from " + topics.inputTopic() + "[")
                        .contains("replayed bad.wav as bad.wav~replay-1: ")
                        .contains("from " + sine);

                List<JsonNode> replays = replays(kafka, topics, 2, Duration.ofSeconds(90));
                assertThat(replays).hasSize(2);
                JsonNode whole = byOriginal(replays, "long.wav");
                assertThat(whole.path("recording_id").asText()).isEqualTo("long.wav~replay-1");
                assertThat(whole.path("replay_attempt").asInt()).isEqualTo(1);
                assertThat(whole.path("complete").asBoolean()).isTrue();
                assertThat(whole.path("duration_s").asDouble()).isEqualTo(2.0);
                assertThat(whole.has("error")).isFalse();
                JsonNode repaired = byOriginal(replays, "bad.wav");
                assertThat(repaired.has("error")).as(repaired.toString()).isFalse();
                assertThat(repaired.path("duration_s").asDouble()).isEqualTo(2.0);

                // Replaying the same dead letters again sends nothing: no second result.
                CliRunner.Run again = replay(cli, kafka, topics);
                assertThat(again.exitCode()).as(again.out()).isZero();
                assertThat(again.out())
                        .contains("already replayed long.wav as long.wav~replay-1")
                        .contains("already replayed bad.wav as bad.wav~replay-1");
                assertThat(again.out().lines()).noneMatch(l -> l.startsWith("replayed "));
                assertThat(replays(kafka, topics, 3, Duration.ofSeconds(8))).hasSize(2);
            } finally {
                fixed.cancel().get();
            }
        }
    }

    private CliRunner.Run replay(
            CliRunner cli, EmbeddedKafka kafka, KafkaSettings topics, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "replay",
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic",
                                topics.inputTopic(),
                                "--dlq-topic",
                                topics.dlqTopic(),
                                "--code",
                                "recording_too_long",
                                "--code",
                                "truncated_header",
                                "--file",
                                "bad.wav=" + KafkaFixture.AUDIO.resolve("sine-1k-16k-mono.wav")));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private static List<JsonNode> replays(
            EmbeddedKafka kafka, KafkaSettings topics, int count, Duration timeout)
            throws Exception {
        // Every result, of both jobs; the replays are those that say so.
        return KafkaFixture.results(
                        kafka.bootstrapServers(), topics.resultsTopic(), count + 2, timeout)
                .stream()
                .filter(r -> r.has("replay_of"))
                .toList();
    }

    private static JsonNode byOriginal(List<JsonNode> results, String id) {
        return results.stream()
                .filter(r -> r.path("replay_of").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no replay of " + id + " in " + results));
    }

    private JobClient start(ValidatedPipeline pipeline, KafkaSettings topics, String name)
            throws Exception {
        return KafkaFixture.startJob(
                pipeline,
                topics,
                KafkaFixture.testExecution(pipeline, dir.resolve("checkpoints-" + name)),
                null,
                pipeline.definition()
                        .limits()
                        .applyTo(io.audioflow.pipeline.ingest.ReassemblyLimits.defaults()),
                name);
    }

    private static ValidatedPipeline load(Path file) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(file)
                .pipeline()
                .orElseThrow();
    }
}
