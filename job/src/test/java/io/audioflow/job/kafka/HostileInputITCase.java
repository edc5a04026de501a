package io.audioflow.job.kafka;

import static io.audioflow.job.kafka.KafkaFixture.AUDIO;
import static io.audioflow.job.kafka.KafkaFixture.header;
import static io.audioflow.job.kafka.KafkaFixture.message;
import static io.audioflow.job.kafka.KafkaFixture.pcmHeaders;
import static io.audioflow.job.kafka.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages as large as a producer's broker accepts ({@code message.max.bytes} of 20 MiB), published
 * between good recordings, with the job's default limits: each becomes a dead letter the DLQ can
 * carry, and the recordings after them still get their results, with no restart.
 */
class HostileInputITCase {

    private static final int BROKER_MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

    @RegisterExtension static final MiniClusterExtension CLUSTER = new MiniClusterExtension();

    private static EmbeddedKafka kafka;
    private static ValidatedPipeline pipeline;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka =
                EmbeddedKafka.start(
                        Map.of("message.max.bytes", String.valueOf(BROKER_MAX_MESSAGE_BYTES)));
        pipeline = KafkaFixture.defaultPipeline();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) kafka.close();
    }

    @Test
    void messagesUpToTheBrokersLimitBecomeBoundedDeadLettersAndLaterRecordingsGetResults(
            @TempDir Path tmp) throws Exception {
        KafkaSettings topics = KafkaFixture.freshTopics(kafka, 1);
        String in = topics.inputTopic();

        // 19 MiB of valid 16 kHz PCM: over the job's 16 MiB default, under the broker's 20 MiB.
        byte[] nineteenMiB = new byte[19 * 1024 * 1024];
        // 2 MiB of NaN floats: a size the job accepts, audio the decoder refuses, so the dead
        // letter comes from the decode stage with the whole chunk behind it.
        ByteBuffer nan = ByteBuffer.allocate(2 * 1024 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        while (nan.hasRemaining()) nan.putFloat(Float.NaN);
        Map<String, String> f32 = pcmHeaders(0, true);
        f32.put("audio.format", "pcm_f32le");
        // Valid audio carrying 2 MiB of metadata, which would be copied into the result.
        Map<String, String> bigMeta = pcmHeaders(0, true);
        bigMeta.put("audio.meta.note", "x".repeat(2 * 1024 * 1024));

        ChunkPublisher chunks = new ChunkPublisher(kafka.bootstrapServers(), in, 1000, Map.of());
        List<ProducerRecord<byte[], byte[]>> before =
                chunks.messages(AUDIO.resolve("sine-1k-16k-mono.wav"), "good-before", "", 0, 0)
                        .messages();
        List<ProducerRecord<byte[], byte[]>> after =
                chunks.messages(AUDIO.resolve("speechlike-44k-stereo.wav"), "good-after", "", 0, 0)
                        .messages();
        chunks.close();
        try (KafkaProducer<byte[], byte[]> producer = largeMessageProducer()) {
            for (var m : before) send(producer, m);
            send(producer, message(in, utf8("p-19mib"), nineteenMiB, pcmHeaders(0, true)));
            send(producer, message(in, utf8("p-nan-2mib"), nan.array(), f32));
            send(producer, message(in, utf8("p-big-meta"), new byte[3200], bigMeta));
            for (var m : after) send(producer, m);
        }

        ExecutionSettings execution =
                KafkaFixture.testExecution(pipeline, tmp.resolve("checkpoints"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(execution.toConfiguration());
        env.setParallelism(1);
        new StreamingJob(
                        pipeline,
                        topics.stoppingAtLatest(),
                        1,
                        ReassemblyLimits.defaults(),
                        StreamingJob.DEFAULT_MAX_MESSAGE_BYTES)
                .build(env);
        // No restarts allowed: any failure of any operator or sink fails execute().
        env.execute("hostile input");

        Map<String, ConsumerRecord<byte[], byte[]>> letters = new TreeMap<>();
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topics.dlqTopic())) {
            for (var d : reader.read(4, Duration.ofSeconds(5))) letters.put(new String(d.key()), d);
        }
        assertThat(letters).containsOnlyKeys("p-19mib", "p-nan-2mib", "p-big-meta");
        assertBoundedCopyOf(letters.get("p-19mib"), nineteenMiB, "oversized_value", "ingest");
        assertBoundedCopyOf(letters.get("p-nan-2mib"), nan.array(), "invalid_samples", "decode");
        assertThat(header(letters.get("p-big-meta"), "audioflow.error.code"))
                .isEqualTo("headers_too_large");

        Map<String, JsonNode> results = new TreeMap<>();
        for (JsonNode r :
                KafkaFixture.results(
                        kafka.bootstrapServers(), topics.resultsTopic(), 10, Duration.ofSeconds(3)))
            results.put(r.path("recording_id").asText(), r);
        assertThat(results).containsKeys("good-before", "good-after");
        assertThat(results.get("good-before").has("error")).isFalse();
        assertThat(results.get("good-after").has("error")).isFalse();
        assertThat(results.get("p-nan-2mib").path("error").path("code").asText())
                .isEqualTo("invalid_samples");
    }

    /**
     * The dead letter keeps the payload's start, and says how large the whole was and its digest,
     * so the original can be found and checked on the input topic.
     */
    private static void assertBoundedCopyOf(
            ConsumerRecord<byte[], byte[]> letter, byte[] original, String code, String stage)
            throws Exception {
        assertThat(header(letter, "audioflow.error.code")).isEqualTo(code);
        assertThat(header(letter, "audioflow.error.stage")).isEqualTo(stage);
        assertThat(letter.value().length).isEqualTo(DeadLetterBounds.DEFAULT_MAX_PAYLOAD_BYTES);
        assertThat(letter.value())
                .isEqualTo(java.util.Arrays.copyOf(original, letter.value().length));
        assertThat(header(letter, "audioflow.error.payload.bytes"))
                .isEqualTo(String.valueOf(original.length));
        assertThat(header(letter, "audioflow.error.payload.truncated")).isEqualTo("true");
        assertThat(header(letter, "audioflow.error.payload.sha256"))
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(original)));
        assertThat(header(letter, "audioflow.error.orig.offset")).isNotBlank();
    }

    private static KafkaProducer<byte[], byte[]> largeMessageProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        BROKER_MAX_MESSAGE_BYTES,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        64L * 1024 * 1024,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> m)
            throws Exception {
        // One at a time, so the topic holds them in this order.
        Future<RecordMetadata> sent = producer.send(m);
        sent.get();
    }
}
