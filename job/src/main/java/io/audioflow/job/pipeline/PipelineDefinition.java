package io.audioflow.job.pipeline;

import java.util.List;

/**
 * A pipeline file as written: the model the parser builds and the validator checks.
 *
 * @param allowedPluginSha256 {@code plugins.allowed_sha256}: when not empty, only external plugin
 *     jars with these digests load
 * @param limits {@code limits}: what the streaming job holds at most
 */
public record PipelineDefinition(
        String name,
        String version,
        List<StageDefinition> stages,
        KafkaDefinition kafka,
        CheckpointDefinition checkpointing,
        List<String> pluginPaths,
        List<String> allowedPluginSha256,
        String file,
        LimitsDefinition limits)
        implements java.io.Serializable {

    /**
     * Bounds on the streaming job's state, per reassembly subtask.
     *
     * @param maxOpenRecordings recordings open at once; a new one beyond it is refused with the
     *     dead-letter code {@code too_many_open_recordings}
     */
    public record LimitsDefinition(long maxOpenRecordings) implements java.io.Serializable {

        public static LimitsDefinition defaults() {
            return new LimitsDefinition(
                    io.audioflow.operators.ingest.ReassemblyLimits.DEFAULT_MAX_OPEN_RECORDINGS);
        }
    }

    /**
     * Kafka settings for the streaming job; topic names default to the documented contract.
     *
     * @param controlTopic pipeline updates for the running job; null when off ({@code none})
     * @param monitorTopic the optional per-chunk monitoring topic; null when off (the default)
     * @param controlResultsTopic where the job acknowledges or rejects each control update
     */
    public record KafkaDefinition(
            String bootstrapServers,
            String inputTopic,
            String resultsTopic,
            String dlqTopic,
            String controlTopic,
            String transactionalIdPrefix,
            String monitorTopic,
            String controlResultsTopic)
            implements java.io.Serializable {

        public static KafkaDefinition defaults() {
            return new KafkaDefinition(
                    "localhost:9092",
                    "audio.chunks",
                    "audio.results",
                    "audio.dlq",
                    "audio.control",
                    "audioflow",
                    null,
                    "audio.control.results");
        }
    }

    /**
     * @param mode exactly_once or at_least_once; {@code stateBackend} hashmap or rocksdb
     */
    public record CheckpointDefinition(
            long intervalMs, String mode, String storage, String stateBackend)
            implements java.io.Serializable {

        public static CheckpointDefinition defaults() {
            return new CheckpointDefinition(10_000, "exactly_once", null, "hashmap");
        }
    }
}
