package io.audioflow.job.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.operators.model.ChunkProgress;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One analyzer's view of one chunk, as JSON keyed by recording id (so a recording's messages stay
 * in order on one partition): {@code recording_id}, {@code stage}, {@code start_s}, {@code end_s},
 * {@code last} and {@code metrics} keyed {@code <stage>.<metric>}.
 */
final class ProgressSerializer implements KafkaRecordSerializationSchema<ChunkProgress> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String topic;

    ProgressSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            ChunkProgress p, KafkaSinkContext context, Long timestamp) {
        ObjectNode n = JSON.createObjectNode();
        n.put("recording_id", p.recordingId);
        n.put("stage", p.stage);
        n.put("start_s", p.startS);
        n.put("end_s", p.endS);
        n.put("last", p.last);
        ObjectNode metrics = n.putObject("metrics");
        p.metrics.forEach(
                (k, v) -> {
                    if (Double.isFinite(v)) metrics.put(k, v);
                    else metrics.putNull(k);
                });
        return new ProducerRecord<>(
                topic,
                p.recordingId.getBytes(StandardCharsets.UTF_8),
                n.toString().getBytes(StandardCharsets.UTF_8));
    }
}
