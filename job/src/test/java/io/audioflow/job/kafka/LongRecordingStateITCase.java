package io.audioflow.job.kafka;

import static io.audioflow.job.kafka.KafkaFixture.containerHeaders;
import static io.audioflow.job.kafka.KafkaFixture.message;
import static io.audioflow.job.kafka.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A three-hour recording streamed as a producer would, one WAV file in 1 s chunks, through the
 * default pipeline: the job's checkpointed state must stop growing after the first minutes (every
 * stage keeps a summary of the audio, never the audio), and the result must be what {@code analyze}
 * reports for the whole file. The state is measured every 10 minutes of audio: each batch is
 * published, then the test waits until a checkpoint has committed all of it.
 */
class LongRecordingStateITCase {

    private static final int SECONDS = 3 * 3600;
    private static final int BATCH_SECONDS = 600;
    private static final int RATE = 16_000;
    private static final int HEADER = 44;
    private static final int SECOND_BYTES = RATE * 2;

    /**
     * The checkpoint may differ by what is in flight (a reorder buffer, a half-read chunk) and by
     * the histograms' filled bins; 20 % of the 10-minute figure allows that, not growth with time.
     */
    private static final double STATE_SPREAD = 0.20;

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

    @Test
    void aThreeHourRecordingKeepsItsStateConstantAndMatchesAnalyze() throws Exception {
        Path work = Files.createTempDirectory("audioflow-long-recording-");
        Path checkpoints = Files.createDirectories(work.resolve("checkpoints"));
        try {
            Path wav = writeSpeechLikeWav(work.resolve("three-hours.wav"));
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 1);
            ExecutionSettings execution =
                    KafkaFixture.testExecution(pipeline, checkpoints).withCheckpointInterval(1_000);
            ReassemblyLimits limits =
                    pipeline.definition()
                            .limits()
                            .applyTo(
                                    new ReassemblyLimits(
                                            1_000_000, 64L * 1024 * 1024, 3_600_000, 3_600_000));
            JobClient job =
                    KafkaFixture.startJob(pipeline, topics, execution, null, limits, "3 hours");
            List<Long> sizes = new ArrayList<>();
            JsonNode streamed;
            try {
                long empty =
                        CheckpointProbe.awaitCheckpointSize(checkpoints, Duration.ofSeconds(60));
                try (KafkaProducer<byte[], byte[]> producer = producer();
                        RandomAccessFile in = new RandomAccessFile(wav.toFile(), "r")) {
                    for (int from = 0; from < SECONDS; from += BATCH_SECONDS) {
                        publish(producer, in, topics.inputTopic(), from, BATCH_SECONDS);
                        CheckpointProbe.awaitCommitted(kafka, topics, Duration.ofSeconds(300));
                        sizes.add(
                                CheckpointProbe.sizeOf(
                                                RetainedCheckpoints.latest(checkpoints)
                                                        .orElseThrow())
                                        - empty);
                    }
                }
                streamed =
                        KafkaFixture.results(
                                        kafka.bootstrapServers(),
                                        topics.resultsTopic(),
                                        1,
                                        Duration.ofSeconds(120))
                                .get(0);
            } finally {
                job.cancel().get();
            }
            System.out.printf(
                    "three-hour recording: state over the empty job's, every 10 minutes of audio"
                            + " (bytes): %s%n",
                    sizes);
            long first = sizes.get(0);
            assertThat(sizes.subList(1, sizes.size() - 1))
                    .as("state every 10 minutes of audio, after the first")
                    .allSatisfy(
                            s ->
                                    assertThat((double) Math.abs(s - first))
                                            .isLessThanOrEqualTo(STATE_SPREAD * first));

            JsonNode analyzed =
                    KafkaFixture.analyzeLocally(pipeline, List.of(wav)).get("three-hours.wav");
            assertThat(streamed.path("complete").asBoolean()).isTrue();
            assertThat(streamed.path("duration_s").asDouble()).isEqualTo(SECONDS);
            assertThat(streamed.path("decision")).isEqualTo(analyzed.path("decision"));
            assertSameMetrics(streamed.path("metrics"), analyzed.path("metrics"));
        } finally {
            CheckpointProbe.deleteRecursively(work);
        }
    }

    /** Chunk boundaries must not change a metric; 1e-9 relative allows summation order only. */
    private static void assertSameMetrics(JsonNode streamed, JsonNode analyzed) {
        List<String> keys = new ArrayList<>();
        analyzed.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isNotEmpty();
        List<String> streamedKeys = new ArrayList<>();
        streamed.fieldNames().forEachRemaining(streamedKeys::add);
        assertThat(streamedKeys).containsExactlyInAnyOrderElementsOf(keys);
        for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
            String k = it.next();
            double a = analyzed.path(k).asDouble();
            double s = streamed.path(k).asDouble();
            assertThat(s).as(k).isCloseTo(a, within(1e-9 * Math.max(1, Math.abs(a))));
        }
    }

    /** Sends seconds {@code [from, from + count)} of the file as chunks, one second each. */
    private static void publish(
            KafkaProducer<byte[], byte[]> producer,
            RandomAccessFile in,
            String topic,
            int from,
            int count)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int second = from; second < from + count; second++) {
            long start = second == 0 ? 0 : HEADER + (long) second * SECOND_BYTES;
            long end = HEADER + (long) (second + 1) * SECOND_BYTES;
            byte[] piece = new byte[(int) (end - start)];
            in.seek(start);
            in.readFully(piece);
            boolean last = second == SECONDS - 1;
            sent.add(
                    producer.send(
                            message(
                                    topic,
                                    utf8("three-hours.wav"),
                                    piece,
                                    containerHeaders(second, last, "wav"))));
        }
        for (Future<RecordMetadata> f : sent) f.get();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        512 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * Three hours of 16 kHz mono: a 30 s voiced pattern (a gliding harmonic tone in syllables, with
     * pauses, over low noise), repeated at a gain that changes every time, so that loudness, pitch
     * and voice activity all have something to measure.
     */
    private static Path writeSpeechLikeWav(Path file) throws IOException {
        float[] pattern = new float[30 * RATE];
        Random noise = new Random(3);
        double phase = 0;
        for (int i = 0; i < pattern.length; i++) {
            double t = i / (double) RATE;
            double f0 = 120 + 60 * Math.sin(2 * Math.PI * 0.3 * t);
            phase += 2 * Math.PI * f0 / RATE;
            double syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
            boolean pause = (int) (t / 2.5) % 3 == 2;
            double voiced = 0;
            for (int h = 1; h <= 4; h++) voiced += Math.sin(h * phase) / h;
            pattern[i] =
                    (float) ((pause ? 0 : 0.25 * syllable * voiced) + 0.002 * noise.nextGaussian());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            long dataBytes = (long) SECONDS * SECOND_BYTES;
            header.put("RIFF".getBytes()).putInt((int) (36 + dataBytes)).put("WAVE".getBytes());
            header.put("fmt ".getBytes())
                    .putInt(16)
                    .putShort((short) 1)
                    .putShort((short) 1)
                    .putInt(RATE)
                    .putInt(SECOND_BYTES)
                    .putShort((short) 2)
                    .putShort((short) 16);
            header.put("data".getBytes()).putInt((int) dataBytes);
            out.write(header.array());
            ByteBuffer block =
                    ByteBuffer.allocate(pattern.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int repeat = 0; repeat < SECONDS / 30; repeat++) {
                double gain = 0.6 + 0.35 * Math.sin(repeat * 0.7);
                block.clear();
                for (float v : pattern) block.putShort((short) Math.round(v * gain * 32767));
                out.write(block.array());
            }
        }
        return file;
    }
}
