package io.audioflow.job.kafka;

import static io.audioflow.job.kafka.KafkaFixture.message;
import static io.audioflow.job.kafka.KafkaFixture.pcmHeaders;
import static io.audioflow.job.kafka.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What one open recording costs in checkpointed state (and on the hashmap backend, in heap) for the
 * default pipeline: 10 000 recordings opened at once (a first chunk each, no last chunk), as
 * producers that start recordings and never finish them would leave them. The figure is the
 * checkpoint's growth over the empty job's, divided by the recordings; docs/performance.md quotes
 * it, and the bound below keeps it from creeping up.
 */
class OpenRecordingsStateITCase {

    private static final int RECORDINGS = 10_000;

    /** The goal is 16 KiB; this bound fails the build well before state doubles. */
    private static final long MAX_BYTES_PER_RECORDING = 32 * 1024;

    /**
     * The hashmap backend keeps each stage's session live, as objects: about 15 KB per open
     * recording here. While sessions kept their scratch it was 150 KB, and 39 KB while loudness's
     * histograms kept all their bins.
     */
    private static final long MAX_HEAP_BYTES_PER_RECORDING = 32 * 1024;

    private static EmbeddedKafka kafka;
    private static ValidatedPipeline pipeline;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        pipeline = KafkaFixture.defaultPipeline();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) kafka.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void tenThousandOpenRecordingsStayWithinTheirStateBudget(String backend) throws Exception {
        Path checkpoints = Files.createTempDirectory("audioflow-open-state-");
        try {
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 2);
            ExecutionSettings execution =
                    KafkaFixture.testExecution(pipeline, checkpoints)
                            .withCheckpointInterval(1_000)
                            .withStateBackend(backend);
            // Nothing may close them while the test looks: no idle timeout within the hour.
            ReassemblyLimits limits =
                    new ReassemblyLimits(1_000, 64L * 1024 * 1024, 3_600_000, 3_600_000);
            JobClient job =
                    KafkaFixture.startJob(pipeline, topics, execution, null, limits, "open state");
            long empty;
            long full;
            long started;
            long heapEmpty;
            long heapFull;
            try {
                empty = CheckpointProbe.awaitCheckpointSize(checkpoints, Duration.ofSeconds(60));
                heapEmpty = heapAfterGc();
                publishFirstChunks(topics.inputTopic());
                started = System.nanoTime();
                CheckpointProbe.awaitCommitted(kafka, topics, Duration.ofSeconds(180));
                heapFull = heapAfterGc();
            } finally {
                job.cancel().get();
            }
            long catchUpMs = (System.nanoTime() - started) / 1_000_000;
            Path last = RetainedCheckpoints.latest(checkpoints).orElseThrow();
            full = CheckpointProbe.sizeOf(last);
            long perRecording = (full - empty) / RECORDINGS;
            long heapPerRecording = (heapFull - heapEmpty) / RECORDINGS;
            System.out.printf(
                    "open-recordings state (%s): %d recordings, checkpoint %d bytes (empty job %d),"
                            + " %d bytes per open recording; read and checkpointed in %d ms%s%n",
                    backend,
                    RECORDINGS,
                    full,
                    empty,
                    perRecording,
                    catchUpMs,
                    backend.equals("hashmap")
                            ? "; heap " + heapPerRecording + " bytes per open recording"
                            : "");
            if (backend.equals("hashmap"))
                assertThat(heapPerRecording)
                        .as("heap per open recording: the sessions live on it")
                        .isLessThanOrEqualTo(MAX_HEAP_BYTES_PER_RECORDING);
            assertThat(perRecording)
                    .as("bytes of checkpointed state per open recording (%s)", backend)
                    .isPositive()
                    .isLessThanOrEqualTo(MAX_BYTES_PER_RECORDING);
        } finally {
            CheckpointProbe.deleteRecursively(checkpoints);
        }
    }

    /**
     * The heap in use after a full collection: the job runs in this JVM, so on the hashmap backend
     * the growth while recordings are open is what they keep (the broker's log is off the heap).
     */
    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * 100 ms of 16 kHz mono noise as chunk 0 of each of the recordings: noise, because silence
     * would flatter RocksDB, which compresses what it writes.
     */
    private static void publishFirstChunks(String topic) throws Exception {
        byte[] pcm = new byte[3_200];
        new java.util.Random(18).nextBytes(pcm);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.LINGER_MS_CONFIG,
                                20,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                256 * 1024),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDINGS; i++)
                sent.add(
                        producer.send(
                                message(
                                        topic,
                                        utf8(String.format("open-%05d", i)),
                                        pcm,
                                        pcmHeaders(0, false))));
            for (Future<RecordMetadata> f : sent) f.get();
        }
    }
}
