package io.audioflow.job.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning as analysts should: {@code read_committed}, so a result the job
 * wrote in a transaction that was later aborted (a failure before a checkpoint) is never seen.
 * Consumer-group free: it assigns every partition itself and commits nothing.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration TOPIC_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;

    public TopicReader(String bootstrapServers, String topic) {
        this(KafkaConnection.plain(bootstrapServers), topic);
    }

    public TopicReader(KafkaConnection connection, String topic) {
        consumer =
                committedReader(
                        connection, Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "audioflow-reader"));
        List<TopicPartition> partitions = partitionsOf(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * A consumer that sees committed records only and commits nothing, as every reader of
     * audioflow's topics should be; {@code suggested} settings under the user's.
     */
    public static KafkaConsumer<byte[], byte[]> committedReader(
            KafkaConnection connection, Map<String, Object> suggested) {
        return new KafkaConsumer<>(
                connection.clientConfig(
                        suggested,
                        Map.of(
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false)),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Skips what was written before {@code timestampMs}: each partition continues at its first
     * record from that time on, or at its end.
     */
    public TopicReader from(long timestampMs) {
        Map<TopicPartition, Long> times = new HashMap<>();
        consumer.assignment().forEach(p -> times.put(p, timestampMs));
        consumer.offsetsForTimes(times)
                .forEach(
                        (partition, found) -> {
                            if (found != null) consumer.seek(partition, found.offset());
                            else consumer.seekToEnd(List.of(partition));
                        });
        return this;
    }

    /**
     * The topic's partitions, waiting a while for it to appear: a results topic that the broker
     * creates on the job's first write does not exist before the first checkpoint.
     */
    private List<TopicPartition> partitionsOf(String topic) {
        long deadline = System.nanoTime() + TOPIC_WAIT.toNanos();
        while (true) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            if (!partitions.isEmpty()) return partitions;
            if (System.nanoTime() > deadline) {
                consumer.close();
                throw new IllegalStateException(
                        "topic `"
                                + topic
                                + "` does not exist: check the name, or start the job that"
                                + " writes it");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + topic, e);
            }
        }
    }

    /**
     * Hands every record to {@code sink} until {@code done} says so after a poll, or the time is
     * up.
     */
    public void follow(
            Consumer<ConsumerRecord<byte[], byte[]>> sink, BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !done.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
                sink.accept(r);
        }
    }

    /** Reads until {@code count} records have come, or the time is up; returns what came. */
    public List<ConsumerRecord<byte[], byte[]>> read(int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        follow(records::add, () -> records.size() >= count, timeout);
        return records;
    }

    /** Reads for the whole {@code quiet} period: what the topic holds (now). */
    public List<ConsumerRecord<byte[], byte[]>> readAll(Duration quiet) {
        return read(Integer.MAX_VALUE, quiet);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
