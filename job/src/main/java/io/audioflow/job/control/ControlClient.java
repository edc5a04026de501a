package io.audioflow.job.control;

import io.audioflow.job.kafka.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends control updates and waits for the running job's answer. Both topics get one partition when
 * this creates them: updates must be applied in the order they were sent.
 */
public final class ControlClient implements AutoCloseable {

    private final String controlTopic;
    private final String resultsTopic;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;

    /**
     * @param timeout how long to wait for the brokers before giving up with a {@link
     *     TimeoutException} that says which servers did not answer
     */
    public ControlClient(
            KafkaConnection connection, String controlTopic, String resultsTopic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        this.controlTopic = controlTopic;
        this.resultsTopic = resultsTopic;
        String bootstrapServers = connection.bootstrapServers();
        try {
            ensureTopics(connection, List.of(controlTopic, resultsTopic), timeout);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) throw e;
            throw new TimeoutException(
                    "no Kafka broker answered at "
                            + bootstrapServers
                            + " within "
                            + timeout.toSeconds()
                            + " s: check --bootstrap-servers");
        }
        producer =
                new KafkaProducer<>(
                        connection.clientConfig(
                                Map.of(), Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                        new StringSerializer(),
                        new StringSerializer());
        consumer =
                new KafkaConsumer<>(
                        connection.clientConfig(
                                Map.of(),
                                Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                        new StringDeserializer(),
                        new StringDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(resultsTopic).stream()
                        .map(i -> new TopicPartition(resultsTopic, i.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, so no answer sent after this point is skipped.
        partitions.forEach(consumer::position);
    }

    private static void ensureTopics(
            KafkaConnection connection, List<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException {
        int ms = (int) Math.max(1_000, timeout.toMillis());
        try (Admin admin =
                Admin.create(
                        connection.clientConfig(
                                Map.of(),
                                Map.of("default.api.timeout.ms", ms, "request.timeout.ms", ms)))) {
            Set<String> existing = admin.listTopics().names().get();
            for (String topic : topics) {
                if (existing.contains(topic)) continue;
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        }
    }

    /** Sends {@code update} and returns the job's acknowledgement of it. */
    public ControlAck send(ControlUpdate update, Duration timeout) throws Exception {
        producer.send(new ProducerRecord<>(controlTopic, update.id(), update.toJson())).get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.value() == null) continue;
                ControlAck ack;
                try {
                    ack = ControlAck.parse(r.value());
                } catch (Exception notAnAck) {
                    continue;
                }
                if (update.id().equals(ack.id())) return ack;
            }
        }
        throw new TimeoutException(
                "no answer on `"
                        + resultsTopic
                        + "` within "
                        + timeout.toSeconds()
                        + " s: is a job running that reads `"
                        + controlTopic
                        + "`? (it is read from when the job was submitted)");
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
