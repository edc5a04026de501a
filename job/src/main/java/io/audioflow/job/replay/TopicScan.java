package io.audioflow.job.replay;

import io.audioflow.job.kafka.KafkaConnection;
import io.audioflow.job.kafka.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partitions from their start to the end they had when the scan began, committed records
 * only, without a consumer group: what a topic holds now, and nothing a producer adds meanwhile.
 */
final class TopicScan implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;

    TopicScan(KafkaConnection connection) {
        consumer =
                TopicReader.committedReader(
                        connection,
                        Map.of(
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "audioflow-replay",
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                4 << 20));
    }

    List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        if (partitions.isEmpty())
            throw new IllegalStateException("topic `" + topic + "` does not exist");
        return partitions;
    }

    /**
     * The records of {@code partitions} that {@code keep} accepts, in offset order per partition.
     */
    List<ConsumerRecord<byte[], byte[]>> read(
            Collection<TopicPartition> partitions,
            Predicate<ConsumerRecord<byte[], byte[]>> keep,
            Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException(
                        "reading "
                                + partitions
                                + " took longer than "
                                + timeout.toSeconds()
                                + " s");
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))
                        && keep.test(r)) kept.add(r);
        }
        return kept;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) if (consumer.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
