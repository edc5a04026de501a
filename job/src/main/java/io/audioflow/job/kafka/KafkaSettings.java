package io.audioflow.job.kafka;

import io.audioflow.pipeline.definition.PipelineDefinition.KafkaDefinition;
import java.io.Serializable;
import java.util.Map;

/**
 * Where the streaming job reads and writes, after flags override the pipeline file's {@code kafka}
 * section.
 *
 * @param connection bootstrap servers and client properties, shared by the source and every sink
 * @param groupId consumer group of the source (offsets are also kept in Flink's checkpoints)
 * @param stopAtLatest read what the input topic holds when the job starts, then finish (the demo);
 *     otherwise run until stopped
 * @param startAtMillis 0: start at the group's committed offsets (or the earliest), as a job does;
 *     otherwise at the first message from that time on, committing nothing (the demo on a broker
 *     that holds other traffic, whose group's offsets it must not move)
 * @param transactionTimeoutMs the sinks' Kafka transaction timeout: must stay under the broker's
 *     {@code transaction.max.timeout.ms} (15 min by default) or every commit fails, and above the
 *     time from one checkpoint to the next plus a restart
 * @param monitorTopic where analyzers' per-chunk progress goes, at least once and as it happens;
 *     null (the default) for none
 * @param controlTopic pipeline updates ({@code audioflow control}); null when updates are off
 * @param controlResultsTopic where each update's acceptance or rejection is reported
 */
public record KafkaSettings(
        KafkaConnection connection,
        String inputTopic,
        String resultsTopic,
        String dlqTopic,
        String transactionalIdPrefix,
        String groupId,
        boolean stopAtLatest,
        long startAtMillis,
        long transactionTimeoutMs,
        String monitorTopic,
        String controlTopic,
        String controlResultsTopic)
        implements Serializable {

    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 600_000;

    public String bootstrapServers() {
        return connection.bootstrapServers();
    }

    public static KafkaSettings of(KafkaDefinition kafka) {
        return builder()
                .connection(new KafkaConnection(kafka.bootstrapServers(), kafka.properties()))
                .topics(kafka.inputTopic(), kafka.resultsTopic(), kafka.dlqTopic())
                .transactionalIdPrefix(kafka.transactionalIdPrefix())
                .groupId(kafka.transactionalIdPrefix())
                .monitorTopic(kafka.monitorTopic())
                .controlTopics(kafka.controlTopic(), kafka.controlResultsTopic())
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .connection(connection)
                .topics(inputTopic, resultsTopic, dlqTopic)
                .transactionalIdPrefix(transactionalIdPrefix)
                .groupId(groupId)
                .stopAtLatest(stopAtLatest)
                .startAt(startAtMillis)
                .transactionTimeoutMs(transactionTimeoutMs)
                .monitorTopic(monitorTopic)
                .controlTopics(controlTopic, controlResultsTopic);
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return toBuilder().connection(connection.withBootstrapServers(servers)).build();
    }

    /** The pipeline's client properties with {@code overrides} over them. */
    public KafkaSettings withClientProperties(Map<String, String> overrides) {
        Map<String, String> all = new java.util.LinkedHashMap<>(connection.properties());
        all.putAll(overrides);
        return toBuilder()
                .connection(new KafkaConnection(connection.bootstrapServers(), all))
                .build();
    }

    public KafkaSettings withGroupId(String group) {
        return toBuilder().groupId(group).build();
    }

    public KafkaSettings stoppingAtLatest() {
        return toBuilder().stopAtLatest(true).build();
    }

    /** Reads the input from the first message at or after {@code millis}, committing nothing. */
    public KafkaSettings startingAt(long millis) {
        return toBuilder().startAt(millis).build();
    }

    public KafkaSettings withMonitorTopic(String topic) {
        return toBuilder().monitorTopic(topic).build();
    }

    /** Updates read from {@code topic} (null: off), acknowledged on {@code acknowledgements}. */
    public KafkaSettings withControlTopics(String topic, String acknowledgements) {
        return toBuilder().controlTopics(topic, acknowledgements).build();
    }

    /** Builds settings; unset topics keep the documented defaults. */
    public static final class Builder {
        private final KafkaDefinition defaults = KafkaDefinition.defaults();
        private KafkaConnection connection = KafkaConnection.plain(defaults.bootstrapServers());
        private String inputTopic = defaults.inputTopic();
        private String resultsTopic = defaults.resultsTopic();
        private String dlqTopic = defaults.dlqTopic();
        private String transactionalIdPrefix = defaults.transactionalIdPrefix();
        private String groupId = defaults.transactionalIdPrefix();
        private boolean stopAtLatest;
        private long startAtMillis;
        private long transactionTimeoutMs = DEFAULT_TRANSACTION_TIMEOUT_MS;
        private String monitorTopic = defaults.monitorTopic();
        private String controlTopic = defaults.controlTopic();
        private String controlResultsTopic = defaults.controlResultsTopic();

        private Builder() {}

        public Builder connection(KafkaConnection c) {
            connection = c;
            return this;
        }

        public Builder topics(String input, String results, String dlq) {
            inputTopic = input;
            resultsTopic = results;
            dlqTopic = dlq;
            return this;
        }

        public Builder transactionalIdPrefix(String prefix) {
            transactionalIdPrefix = prefix;
            return this;
        }

        public Builder groupId(String group) {
            groupId = group;
            return this;
        }

        public Builder stopAtLatest(boolean stop) {
            stopAtLatest = stop;
            return this;
        }

        public Builder startAt(long millis) {
            startAtMillis = millis;
            return this;
        }

        public Builder transactionTimeoutMs(long ms) {
            transactionTimeoutMs = ms;
            return this;
        }

        public Builder monitorTopic(String topic) {
            monitorTopic = topic;
            return this;
        }

        public Builder controlTopics(String updates, String acknowledgements) {
            controlTopic = updates;
            controlResultsTopic = acknowledgements;
            return this;
        }

        public KafkaSettings build() {
            return new KafkaSettings(
                    connection,
                    inputTopic,
                    resultsTopic,
                    dlqTopic,
                    transactionalIdPrefix,
                    groupId,
                    stopAtLatest,
                    startAtMillis,
                    transactionTimeoutMs,
                    monitorTopic,
                    controlTopic,
                    controlResultsTopic);
        }
    }
}
