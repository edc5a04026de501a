package io.audioflow.job.kafka;

import static io.audioflow.job.kafka.KafkaFixture.AUDIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.cli.CliRunner;
import io.audioflow.job.control.ControlAck;
import io.audioflow.job.control.ControlClient;
import io.audioflow.job.control.ControlUpdate;
import io.audioflow.job.testing.CommittedResults;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing a running pipeline through the control topic: a decision threshold, then a stage's
 * processor, while recordings keep arriving; invalid updates are rejected and change nothing; a
 * recording in flight keeps the configuration it started with; the applied configuration comes back
 * from a checkpoint after the job is cancelled and restored.
 */
class KafkaControlITCase {

    private static final String PIPELINE =
            """
            name: control-test
            version: 1.0.0
            stages:
              - name: decode
                processor: decode@^1.0
              - name: level
                processor: dc-remove@^1.0
                dependencies: [decode]
              - name: temporal
                processor: temporal@^1.0
                dependencies: [level]
              - name: decision
                processor: rules@^1.0
                dependencies: [temporal]
                config:
                  rules:
                    - {name: too_quiet, metric: temporal.rms_dbfs, below: -50, verdict: reject}
            """;

    private static final ReassemblyLimits LIMITS =
            new ReassemblyLimits(1_000, 64L * 1024 * 1024, 60_000, 3_600_000);

    private static final Path SINE = AUDIO.resolve("sine-1k-16k-mono.wav");

    @Test
    void updatesApplyToRecordingsThatStartAfterThemAndSurviveARestore(@TempDir Path tmp)
            throws Exception {
        ValidatedPipeline pipeline =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(
                                PIPELINE.getBytes(StandardCharsets.UTF_8),
                                "control.yaml",
                                new Problems())
                        .pipeline()
                        .orElseThrow();
        Path checkpoints = tmp.resolve("checkpoints");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 1);
            String servers = kafka.bootstrapServers();
            Map<String, JsonNode> results = new HashMap<>();
            JobClient first = start(pipeline, topics, checkpoints, null);
            try (ChunkPublisher publisher =
                            new ChunkPublisher(servers, topics.inputTopic(), 250, Map.of());
                    ControlClient control =
                            new ControlClient(
                                    KafkaConnection.plain(servers),
                                    topics.controlTopic(),
                                    topics.controlResultsTopic(),
                                    Duration.ofSeconds(60))) {
                publisher.publish(SINE, "v1", "pcm_s16le", 0, 0);
                awaitResults(topics, results, "v1");
                JsonNode v1 = results.get("v1");
                assertThat(configVersion(v1)).isEqualTo(1);
                assertThat(v1.at("/decision/verdict").asText()).isEqualTo("accept");
                double rms = v1.at("/metrics/temporal.rms_dbfs").asDouble();
                assertThat(rms).isGreaterThan(-20);

                // A threshold change, through the CLI as an operator would send it.
                CliRunner.Run set = control(topics, "set", "decision", "rules.too_quiet.below=0");
                assertThat(set.exitCode()).as(set.out() + set.err()).isZero();
                assertThat(set.out()).contains("accepted", "config_version 2");
                publisher.publish(SINE, "v2", "pcm_s16le", 0, 0);
                awaitResults(topics, results, "v2");
                JsonNode v2 = results.get("v2");
                assertThat(configVersion(v2)).isEqualTo(2);
                assertThat(v2.at("/decision/verdict").asText()).isEqualTo("reject");
                assertThat(v2.at("/decision/reasons/0/threshold").asDouble()).isEqualTo(0.0);
                assertThat(v2.at("/provenance/config_sha256").asText())
                        .isNotEqualTo(v1.at("/provenance/config_sha256").asText());

                // Invalid updates: rejected with the reason, and nothing changes.
                ControlAck wrongKind =
                        control.send(
                                ControlUpdate.swap("bad-1", "level", "temporal@^1.0", Map.of()),
                                Duration.ofSeconds(60));
                assertThat(wrongKind.status()).isEqualTo(ControlAck.Status.REJECTED);
                assertThat(wrongKind.configVersion()).isEqualTo(2);
                assertThat(String.join(" ", wrongKind.problems())).contains("level", "temporal");
                ControlAck unknownRule =
                        control.send(
                                ControlUpdate.set(
                                        "bad-2", "decision", Map.of("rules.too_loud.above", -1)),
                                Duration.ofSeconds(60));
                assertThat(unknownRule.status()).isEqualTo(ControlAck.Status.REJECTED);
                assertThat(unknownRule.problems().get(0)).contains("too_loud", "too_quiet");
                CliRunner.Run badValue = control(topics, "set", "level", "cutoff_hz=fast");
                assertThat(badValue.exitCode()).as(badValue.out()).isEqualTo(1);
                assertThat(badValue.out()).contains("rejected", "cutoff_hz", "unchanged");

                // A recording in flight when the processor is swapped keeps dc-remove.
                List<ProducerRecord<byte[], byte[]>> flight =
                        publisher.messages(SINE, "in-flight", "pcm_s16le", 0, 0).messages();
                assertThat(flight.size()).isGreaterThan(2);
                for (var m : flight.subList(0, 2)) publisher.send(m);
                // Its first chunks go through reassembly (which pins the configuration) in
                // milliseconds; the swap is sent well after.
                Thread.sleep(1_000);
                ControlAck swap =
                        control.send(
                                ControlUpdate.swap(
                                        "swap-1",
                                        "level",
                                        "normalize@^1.0",
                                        Map.of("target_dbfs", -30)),
                                Duration.ofSeconds(60));
                assertThat(swap.status())
                        .as(swap.problems().toString())
                        .isEqualTo(ControlAck.Status.ACCEPTED);
                assertThat(swap.configVersion()).isEqualTo(3);
                for (var m : flight.subList(2, flight.size())) publisher.send(m);
                publisher.publish(SINE, "v3", "pcm_s16le", 0, 0);
                awaitResults(topics, results, "in-flight", "v3");

                JsonNode inFlight = results.get("in-flight");
                assertThat(configVersion(inFlight)).isEqualTo(2);
                assertThat(processorOf(inFlight, "level")).isEqualTo("dc-remove");
                assertThat(inFlight.at("/metrics/temporal.rms_dbfs").asDouble())
                        .isCloseTo(rms, within(0.01));
                JsonNode v3 = results.get("v3");
                assertThat(configVersion(v3)).isEqualTo(3);
                assertThat(processorOf(v3, "level")).isEqualTo("normalize");
                assertThat(v3.at("/metrics/temporal.rms_dbfs").asDouble())
                        .isCloseTo(-30, within(0.5));
                assertThat(v3.at("/decision/verdict").asText()).isEqualTo("reject");

                // A shadow decision with a lower threshold, started and stopped on the running
                // job: the live verdict stays, the shadow says what the change would do.
                CliRunner.Run shadow =
                        control(
                                topics,
                                "shadow",
                                "decision",
                                "rules@^1.0",
                                "rules.too_quiet.below=-80");
                assertThat(shadow.exitCode()).as(shadow.out() + shadow.err()).isZero();
                assertThat(shadow.out()).contains("accepted", "config_version 4");
                publisher.publish(SINE, "shadowed", "pcm_s16le", 0, 0);
                awaitResults(topics, results, "shadowed");
                JsonNode shadowed = results.get("shadowed");
                assertThat(shadowed.at("/decision/verdict").asText()).isEqualTo("reject");
                assertThat(shadowed.at("/shadow/decision/verdict").asText()).isEqualTo("accept");
                CliRunner.Run unshadow = control(topics, "unshadow", "decision");
                assertThat(unshadow.out()).contains("accepted", "config_version 5");
                publisher.publish(SINE, "unshadowed", "pcm_s16le", 0, 0);
                awaitResults(topics, results, "unshadowed");
                assertThat(results.get("unshadowed").has("shadow")).isFalse();
            } finally {
                first.cancel().get();
            }

            // Restored from its checkpoint, the job still runs version 5: no update is replayed.
            Path checkpoint = RetainedCheckpoints.latest(checkpoints).orElseThrow();
            JobClient second = start(pipeline, topics, checkpoints, checkpoint);
            try (ChunkPublisher publisher =
                    new ChunkPublisher(servers, topics.inputTopic(), 250, Map.of())) {
                publisher.publish(SINE, "after-restore", "pcm_s16le", 0, 0);
                awaitResults(topics, results, "after-restore");
            } finally {
                second.cancel().get();
            }
            JsonNode restored = results.get("after-restore");
            assertThat(configVersion(restored)).isEqualTo(5);
            assertThat(restored.has("shadow")).isFalse();
            assertThat(processorOf(restored, "level")).isEqualTo("normalize");
            assertThat(restored.at("/metrics/temporal.rms_dbfs").asDouble())
                    .isCloseTo(-30, within(0.5));
            assertThat(restored.at("/decision/reasons/0/threshold").asDouble()).isEqualTo(0.0);
        }
    }

    private static long configVersion(JsonNode result) {
        return result.at("/provenance/config_version").asLong();
    }

    private static String processorOf(JsonNode result, String stage) {
        for (JsonNode s : result.at("/provenance/stages"))
            if (s.path("stage").asText().equals(stage)) return s.path("processor").asText();
        return null;
    }

    private static void awaitResults(
            KafkaSettings topics, Map<String, JsonNode> results, String... ids) {
        List<JsonNode> all = new ArrayList<>();
        CommittedResults.follow(
                topics.bootstrapServers(),
                topics.resultsTopic(),
                new HashMap<>(),
                all,
                () ->
                        all.stream()
                                .map(r -> r.path("recording_id").asText())
                                .toList()
                                .containsAll(List.of(ids)),
                Duration.ofSeconds(90));
        for (JsonNode r : all) results.put(r.path("recording_id").asText(), r);
        assertThat(results).containsKeys(ids);
    }

    private static JobClient start(
            ValidatedPipeline pipeline, KafkaSettings topics, Path checkpoints, Path restore)
            throws Exception {
        return KafkaFixture.startJob(
                pipeline,
                topics,
                KafkaFixture.testExecution(pipeline, checkpoints),
                restore,
                LIMITS,
                "control test");
    }

    /** `audioflow control` against this test's topics, as an operator runs it. */
    private static CliRunner.Run control(KafkaSettings topics, String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                "control",
                                "--bootstrap-servers",
                                topics.bootstrapServers(),
                                "--topic",
                                topics.controlTopic(),
                                "--results-topic",
                                topics.controlResultsTopic()));
        all.addAll(List.of(args));
        return CliRunner.withEnv(Map.of()).run(all.toArray(String[]::new));
    }
}
