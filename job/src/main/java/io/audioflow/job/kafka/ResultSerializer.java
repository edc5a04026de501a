package io.audioflow.job.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A recording's JSON result, keyed by its recording id so a compacted topic keeps the latest. */
final class ResultSerializer implements KafkaRecordSerializationSchema<String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String topic;

    ResultSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            String result, KafkaSinkContext context, Long timestamp) {
        String id;
        try {
            id = JSON.readTree(result).path("recording_id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("a result is not JSON: a bug in the result writer", e);
        }
        return new ProducerRecord<>(
                topic,
                id.getBytes(StandardCharsets.UTF_8),
                result.getBytes(StandardCharsets.UTF_8));
    }
}
