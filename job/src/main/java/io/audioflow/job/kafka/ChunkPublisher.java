package io.audioflow.job.kafka;

import io.audioflow.pipeline.runtime.FileChunks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer side of the input contract (config/asyncapi.yaml): cuts files into numbered chunks
 * with the {@code audio.*} headers and publishes them, keyed by recording id, with an idempotent
 * producer so that its own retries never duplicate a chunk.
 */
public final class ChunkPublisher implements AutoCloseable {

    /** What publishing one file came to. */
    public record Published(String recordingId, int messages, long bytes, double audioSeconds) {}

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final long chunkMs;
    private final Map<String, String> metadata;

    public ChunkPublisher(
            String bootstrapServers, String topic, long chunkMs, Map<String, String> metadata) {
        this(KafkaConnection.plain(bootstrapServers), topic, chunkMs, metadata);
    }

    public ChunkPublisher(
            KafkaConnection connection, String topic, long chunkMs, Map<String, String> metadata) {
        Map<String, Object> config =
                connection.clientConfig(
                        Map.of(
                                ProducerConfig.LINGER_MS_CONFIG,
                                5,
                                ProducerConfig.CLIENT_ID_CONFIG,
                                "audioflow-publish"),
                        // A retry must never reorder or repeat a chunk.
                        Map.of(
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true));
        this.producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.chunkMs = chunkMs;
        this.metadata = Map.copyOf(metadata);
    }

    /**
     * Publishes one file as one recording and waits until the broker has every chunk.
     *
     * @param rawFormat encoding of headerless .raw/.pcm files, with their rate and channels
     */
    public Published publish(
            Path file, String recordingId, String rawFormat, int sampleRate, int channels)
            throws IOException, InterruptedException, ExecutionException {
        Recording r = messages(file, recordingId, rawFormat, sampleRate, channels);
        sendAll(r.messages());
        return r.published();
    }

    /** One file's messages, in order, without sending them. */
    public record Recording(List<ProducerRecord<byte[], byte[]>> messages, Published published) {}

    public Recording messages(
            Path file, String recordingId, String rawFormat, int sampleRate, int channels)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String format = FileChunks.formatOf(file.getFileName().toString(), rawFormat);
        ChunkPlan plan = ChunkPlan.of(bytes, format, sampleRate, channels, chunkMs);
        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
        long from = 0;
        for (int seq = 0; seq < plan.pieces(); seq++) {
            long to = plan.cuts()[seq];
            byte[] piece = Arrays.copyOfRange(bytes, (int) from, (int) to);
            List<Header> headers =
                    headers(plan, seq, seq == plan.pieces() - 1, file.getFileName().toString());
            messages.add(
                    new ProducerRecord<>(
                            topic,
                            null,
                            recordingId.getBytes(StandardCharsets.UTF_8),
                            piece,
                            headers));
            from = to;
        }
        return new Recording(
                messages,
                new Published(recordingId, plan.pieces(), bytes.length, plan.audioSeconds()));
    }

    /** Sends messages as given, in order, and waits until the broker has every one. */
    public void sendAll(List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) sent.add(producer.send(r));
        for (Future<RecordMetadata> f : sent) f.get();
    }

    /** Sends one message without waiting for the broker. */
    public Future<RecordMetadata> sendAsync(ProducerRecord<byte[], byte[]> record) {
        return producer.send(record);
    }

    /** Sends one message exactly as given: for tools and tests that need to break the contract. */
    public RecordMetadata send(ProducerRecord<byte[], byte[]> record)
            throws InterruptedException, ExecutionException {
        return producer.send(record).get();
    }

    private List<Header> headers(ChunkPlan plan, int seq, boolean last, String fileName) {
        List<Header> h = new ArrayList<>();
        h.add(header("audio.schema", "1"));
        h.add(header("audio.seq", String.valueOf(seq)));
        h.add(header("audio.last", String.valueOf(last)));
        h.add(header("audio.format", plan.format()));
        if (plan.sampleRate() > 0) {
            h.add(header("audio.sample-rate", String.valueOf(plan.sampleRate())));
            h.add(header("audio.channels", String.valueOf(plan.channels())));
        }
        if (seq == 0) {
            h.add(header("audio.meta.source_file", fileName));
            metadata.forEach((k, v) -> h.add(header("audio.meta." + k, v)));
        }
        return h;
    }

    static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close();
    }
}
