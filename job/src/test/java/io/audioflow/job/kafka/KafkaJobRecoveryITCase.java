package io.audioflow.job.kafka;

import static io.audioflow.job.kafka.KafkaFixture.AUDIO;
import static io.audioflow.job.kafka.KafkaFixture.header;
import static io.audioflow.job.kafka.KafkaFixture.message;
import static io.audioflow.job.kafka.KafkaFixture.pcmHeaders;
import static io.audioflow.job.kafka.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.testing.CommittedResults;
import io.audioflow.job.testing.SameResults;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: the job is cancelled without a savepoint while a recording is half
 * read, more audio arrives while it is down, and the job resumes from its last retained checkpoint.
 * Every recording must then have exactly one committed result, the half-read one complete and
 * identical to a local analysis, and nothing may be lost.
 */
class KafkaJobRecoveryITCase {

    /** Longer than the crash and restart take, or the half-read recording would time out. */
    private static final long IDLE_TIMEOUT_MS = 12_000;

    private static final ReassemblyLimits LIMITS =
            new ReassemblyLimits(1_000, 64L * 1024 * 1024, IDLE_TIMEOUT_MS, 3_600_000);

    @Test
    void resumesFromTheRetainedCheckpointWithoutLosingOrDuplicatingResults(@TempDir Path tmp)
            throws Exception {
        ValidatedPipeline pipeline = KafkaFixture.defaultPipeline();
        Path checkpoints = tmp.resolve("checkpoints");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 2);
            String in = topics.inputTopic();
            Path halfRead = AUDIO.resolve("speechlike-44k-stereo.wav");
            List<String> before = List.of("clipped-8k-mono.wav", "sine-1k-16k-mono.flac");
            try (ChunkPublisher publisher =
                    new ChunkPublisher(kafka.bootstrapServers(), in, 250, Map.of())) {
                List<ProducerRecord<byte[], byte[]>> x =
                        publisher.messages(halfRead, "x", "pcm_s16le", 0, 0).messages();
                assertThat(x).hasSize(12);
                for (ProducerRecord<byte[], byte[]> m : x.subList(0, 4)) publisher.send(m);
                for (String f : before) publisher.publish(AUDIO.resolve(f), f, "pcm_s16le", 0, 0);
                JobClient first = start(pipeline, topics, checkpoints, null);
                Map<String, Integer> seen = new HashMap<>();
                CommittedResults.follow(
                        kafka.bootstrapServers(),
                        topics.resultsTopic(),
                        seen,
                        new ArrayList<>(),
                        () -> seen.size() >= 2,
                        Duration.ofSeconds(60));
                assertThat(seen).containsOnlyKeys(before.get(0), before.get(1));
                first.cancel().get();

                // While the job is down, the rest of the half-read recording and a new one.
                for (ProducerRecord<byte[], byte[]> m : x.subList(4, 12)) publisher.send(m);
                publisher.publish(
                        AUDIO.resolve("quiet-noise-16k-mono.wav"), "after", "pcm_s16le", 0, 0);
            }

            Path checkpoint = RetainedCheckpoints.latest(checkpoints).orElseThrow();
            JobClient second = start(pipeline, topics, checkpoints, checkpoint);
            Map<String, Integer> results = new HashMap<>();
            List<JsonNode> all = new ArrayList<>();
            try {
                CommittedResults.follow(
                        kafka.bootstrapServers(),
                        topics.resultsTopic(),
                        results,
                        all,
                        () -> results.containsKey("x") && results.containsKey("after"),
                        Duration.ofSeconds(60));
                // A recording whose chunk 1 never comes: the idle timeout closes it as
                // incomplete, and the chunk that waited behind the gap is a dead letter.
                try (ChunkPublisher publisher =
                        new ChunkPublisher(kafka.bootstrapServers(), in, 250, Map.of())) {
                    publisher.send(message(in, utf8("gap"), new byte[3200], pcmHeaders(0, false)));
                    publisher.send(message(in, utf8("gap"), new byte[3200], pcmHeaders(2, false)));
                }
                CommittedResults.follow(
                        kafka.bootstrapServers(),
                        topics.resultsTopic(),
                        results,
                        all,
                        () -> results.containsKey("gap"),
                        Duration.ofMillis(IDLE_TIMEOUT_MS + 30_000));
                // Anything duplicated would be committed with the same checkpoints: wait for a
                // few more before looking.
                Thread.sleep(2_000);
            } finally {
                second.cancel().get();
            }
            results.clear();
            all.clear();
            CommittedResults.follow(
                    kafka.bootstrapServers(),
                    topics.resultsTopic(),
                    results,
                    all,
                    () -> false,
                    Duration.ofSeconds(2));

            assertThat(results)
                    .as("exactly one result per recording")
                    .containsOnlyKeys("x", "after", "gap", before.get(0), before.get(1))
                    .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
            JsonNode x = byId(all, "x");
            assertThat(x.path("complete").asBoolean()).isTrue();
            assertThat(x.path("chunks").asInt()).isEqualTo(12);
            assertThat(x.has("error")).isFalse();
            JsonNode expected =
                    KafkaFixture.analyzeLocally(pipeline, List.of(halfRead))
                            .get(halfRead.getFileName().toString());
            SameResults.assertSameMetrics("x", x.path("metrics"), expected.path("metrics"));
            JsonNode gap = byId(all, "gap");
            assertThat(gap.path("complete").asBoolean()).isFalse();
            assertThat(gap.path("chunks").asInt()).isEqualTo(1);

            List<ConsumerRecord<byte[], byte[]>> letters;
            try (TopicReader reader =
                    new TopicReader(kafka.bootstrapServers(), topics.dlqTopic())) {
                letters = reader.read(2, Duration.ofSeconds(2));
            }
            assertThat(letters).hasSize(1);
            assertThat(header(letters.get(0), "audioflow.error.code")).isEqualTo("seq_gap");
        }
    }

    private static JsonNode byId(List<JsonNode> results, String id) {
        return results.stream()
                .filter(r -> r.path("recording_id").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static JobClient start(
            ValidatedPipeline pipeline, KafkaSettings topics, Path checkpoints, Path restore)
            throws Exception {
        // The other ITCases keep state on the heap; this one restores from RocksDB.
        ExecutionSettings execution =
                KafkaFixture.testExecution(pipeline, checkpoints).withStateBackend("rocksdb");
        return KafkaFixture.startJob(pipeline, topics, execution, restore, LIMITS, "recovery test");
    }
}
