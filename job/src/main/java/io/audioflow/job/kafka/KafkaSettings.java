package io.audioflow.job.kafka;

import io.audioflow.job.pipeline.PipelineDefinition.KafkaDefinition;
import java.io.Serializable;

/**
 * Where the streaming job reads and writes, after flags override the pipeline file's {@code kafka}
 * section.
 *
 * @param groupId consumer group of the source (offsets are also kept in Flink's checkpoints)
 * @param stopAtLatest read what the input topic holds when the job starts, then finish (the demo);
 *     otherwise run until stopped
 * @param transactionTimeoutMs the sinks' Kafka transaction timeout: must stay under the broker's
 *     {@code transaction.max.timeout.ms} (15 min by default) or every commit fails, and above the
 *     time from one checkpoint to the next plus a restart
 * @param monitorTopic where analyzers' per-chunk progress goes, at least once and as it happens;
 *     null (the default) for none
 * @param controlTopic pipeline updates ({@code audioflow control}); null when updates are off
 * @param controlResultsTopic where each update's acceptance or rejection is reported
 */
public record KafkaSettings(
        String bootstrapServers,
        String inputTopic,
        String resultsTopic,
        String dlqTopic,
        String transactionalIdPrefix,
        String groupId,
        boolean stopAtLatest,
        long transactionTimeoutMs,
        String monitorTopic,
        String controlTopic,
        String controlResultsTopic)
        implements Serializable {

    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 600_000;

    public static KafkaSettings of(KafkaDefinition kafka) {
        return new KafkaSettings(
                kafka.bootstrapServers(),
                kafka.inputTopic(),
                kafka.resultsTopic(),
                kafka.dlqTopic(),
                kafka.transactionalIdPrefix(),
                kafka.transactionalIdPrefix(),
                false,
                DEFAULT_TRANSACTION_TIMEOUT_MS,
                kafka.monitorTopic(),
                kafka.controlTopic(),
                kafka.controlResultsTopic());
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(
                servers,
                inputTopic,
                resultsTopic,
                dlqTopic,
                transactionalIdPrefix,
                groupId,
                stopAtLatest,
                transactionTimeoutMs,
                monitorTopic,
                controlTopic,
                controlResultsTopic);
    }

    public KafkaSettings withGroupId(String group) {
        return new KafkaSettings(
                bootstrapServers,
                inputTopic,
                resultsTopic,
                dlqTopic,
                transactionalIdPrefix,
                group,
                stopAtLatest,
                transactionTimeoutMs,
                monitorTopic,
                controlTopic,
                controlResultsTopic);
    }

    public KafkaSettings stoppingAtLatest() {
        return new KafkaSettings(
                bootstrapServers,
                inputTopic,
                resultsTopic,
                dlqTopic,
                transactionalIdPrefix,
                groupId,
                true,
                transactionTimeoutMs,
                monitorTopic,
                controlTopic,
                controlResultsTopic);
    }

    public KafkaSettings withMonitorTopic(String topic) {
        return new KafkaSettings(
                bootstrapServers,
                inputTopic,
                resultsTopic,
                dlqTopic,
                transactionalIdPrefix,
                groupId,
                stopAtLatest,
                transactionTimeoutMs,
                topic,
                controlTopic,
                controlResultsTopic);
    }

    /** Updates read from {@code topic} (null: off), acknowledged on {@code acknowledgements}. */
    public KafkaSettings withControlTopics(String topic, String acknowledgements) {
        return new KafkaSettings(
                bootstrapServers,
                inputTopic,
                resultsTopic,
                dlqTopic,
                transactionalIdPrefix,
                groupId,
                stopAtLatest,
                transactionTimeoutMs,
                monitorTopic,
                topic,
                acknowledgements);
    }
}
