package io.audioflow.job.kafka;

import io.audioflow.operators.metrics.CountersByLabel;
import io.audioflow.operators.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A dead letter as the DLQ topic receives it: the original key, value and headers, within {@link
 * DeadLetterBounds}, then the error in {@code audioflow.error.*} headers named as in
 * config/asyncapi.yaml (Kafka Connect's style).
 */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    static final String PREFIX = "audioflow.error.";
    private final String topic;
    private final DeadLetterBounds bounds;
    private transient CountersByLabel byCode;

    DeadLetterSerializer(String topic, DeadLetterBounds bounds) {
        this.topic = topic;
        this.bounds = bounds;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        byCode =
                new CountersByLabel(
                        context.getMetricGroup().addGroup("audioflow"), "code", "deadLetters");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter d, KafkaSinkContext context, Long timestamp) {
        if (byCode != null) byCode.inc(d.code);
        List<Header> headers = new ArrayList<>();
        int headerBytes = 0;
        int dropped = 0;
        for (int i = 0; i < d.headerKeys.length; i++) {
            int size = d.headerKeys[i].length() + lengthOf(d.headerValues[i]);
            if (dropped == 0 && headerBytes + size <= bounds.maxHeaderBytes()) {
                headers.add(new RecordHeader(d.headerKeys[i], d.headerValues[i]));
                headerBytes += size;
            } else {
                dropped++;
            }
        }
        add(headers, "code", d.code);
        add(headers, "message", truncated(d.message));
        add(headers, "stage", d.stage);
        add(headers, "processor", d.processor);
        add(headers, "exception.class", d.exceptionClass);
        add(headers, "attempts", String.valueOf(d.attempts));
        if (d.offset >= 0) {
            add(headers, "orig.topic", d.topic);
            add(headers, "orig.partition", String.valueOf(d.partition));
            add(headers, "orig.offset", String.valueOf(d.offset));
            add(headers, "orig.timestamp", String.valueOf(d.timestamp));
        }
        byte[] value = d.value;
        if (value != null) {
            add(headers, "payload.bytes", String.valueOf(value.length));
            add(headers, "payload.sha256", HexFormat.of().formatHex(sha256(value)));
            boolean cut = value.length > bounds.maxPayloadBytes();
            add(headers, "payload.truncated", String.valueOf(cut));
            if (cut) value = Arrays.copyOf(value, bounds.maxPayloadBytes());
        }
        if (dropped > 0) add(headers, "headers.dropped", String.valueOf(dropped));
        byte[] key = d.key;
        if (key != null && key.length > bounds.maxKeyBytes()) {
            add(headers, "key.bytes", String.valueOf(key.length));
            key = Arrays.copyOf(key, bounds.maxKeyBytes());
        }
        return new ProducerRecord<>(topic, null, null, key, value, headers);
    }

    private String truncated(String text) {
        return text == null || text.length() <= bounds.maxTextChars()
                ? text
                : text.substring(0, bounds.maxTextChars()) + "…";
    }

    private static int lengthOf(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void add(List<Header> headers, String name, String value) {
        if (value != null)
            headers.add(new RecordHeader(PREFIX + name, value.getBytes(StandardCharsets.UTF_8)));
    }
}
