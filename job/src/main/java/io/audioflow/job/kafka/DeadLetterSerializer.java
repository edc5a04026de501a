package io.audioflow.job.kafka;

import io.audioflow.operators.metrics.CountersByLabel;
import io.audioflow.operators.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A dead letter as the DLQ topic receives it: the original key, value and headers, then the error
 * in {@code audioflow.error.*} headers named as in config/asyncapi.yaml (Kafka Connect's style).
 */
final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    static final String PREFIX = "audioflow.error.";
    private final String topic;
    private transient CountersByLabel byCode;

    DeadLetterSerializer(String topic) {
        this.topic = topic;
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
        for (int i = 0; i < d.headerKeys.length; i++)
            headers.add(new RecordHeader(d.headerKeys[i], d.headerValues[i]));
        add(headers, "code", d.code);
        add(headers, "message", d.message);
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
        return new ProducerRecord<>(topic, null, null, d.key, d.value, headers);
    }

    private static void add(List<Header> headers, String name, String value) {
        if (value != null)
            headers.add(new RecordHeader(PREFIX + name, value.getBytes(StandardCharsets.UTF_8)));
    }
}
