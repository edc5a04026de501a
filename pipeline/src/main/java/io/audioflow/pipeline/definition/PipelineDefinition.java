package io.audioflow.pipeline.definition;

import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.List;
import java.util.Map;

/**
 * A pipeline file as written: the model the parser builds and the validator checks.
 *
 * @param allowedPluginSha256 {@code plugins.allowed_sha256}: when not empty, only external plugin
 *     jars with these digests load
 * @param limits {@code limits}: what the streaming job holds at most
 * @param restarts {@code restarts}: how Flink restarts the job after a failure
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
        LimitsDefinition limits,
        RestartDefinition restarts)
        implements java.io.Serializable {

    /**
     * How Flink restarts the job after a failure: Flink's exponential-delay strategy. The backoff
     * grows from {@code initialBackoffMs} to {@code maxBackoffMs} and starts again after {@code
     * resetAfterMs} without a failure, so failures spread over a job's life (a TaskManager lost
     * once a month) never add up to a final one, while a fault that persists (an unreachable
     * broker, a setting the broker refuses) fails the job after {@code attempts} restarts in a row.
     *
     * @param attempts restarts in a row, without {@code resetAfterMs} of running between them,
     *     before the job fails for good; 0 fails it at its first failure
     */
    public record RestartDefinition(
            int attempts, long initialBackoffMs, long maxBackoffMs, long resetAfterMs)
            implements java.io.Serializable {

        public static RestartDefinition defaults() {
            return new RestartDefinition(10, 1_000, 60_000, 600_000);
        }

        /** The job fails at its first failure: for bounded runs and tests. */
        public static RestartDefinition none() {
            return defaults().withAttempts(0);
        }

        public RestartDefinition withAttempts(int n) {
            return new RestartDefinition(n, initialBackoffMs, maxBackoffMs, resetAfterMs);
        }
    }

    /**
     * Bounds on the streaming job's state and on one recording.
     *
     * @param maxOpenRecordings recordings open at once per reassembly subtask; a new one beyond it
     *     is refused with the dead-letter code {@code too_many_open_recordings}
     * @param maxRecordingSeconds audio one recording may have ({@code recording_too_long})
     * @param maxRecordingBytes encoded bytes one recording may have ({@code recording_too_large})
     * @param maxReorderBufferBytes bytes one recording may hold waiting for a missing earlier chunk
     *     ({@code reorder_buffer_full})
     */
    public record LimitsDefinition(
            long maxOpenRecordings,
            long maxRecordingSeconds,
            long maxRecordingBytes,
            long maxReorderBufferBytes)
            implements java.io.Serializable {

        public static LimitsDefinition defaults() {
            return new LimitsDefinition(
                    ReassemblyLimits.DEFAULT_MAX_OPEN_RECORDINGS,
                    ReassemblyLimits.DEFAULT_MAX_RECORDING_SECONDS,
                    ReassemblyLimits.DEFAULT_MAX_RECORDING_BYTES,
                    ReassemblyLimits.DEFAULT_MAX_BUFFERED_BYTES);
        }

        /** These limits over the job's other reassembly settings (timeouts). */
        public ReassemblyLimits applyTo(ReassemblyLimits limits) {
            return limits.withPerRecording(
                    maxOpenRecordings,
                    maxRecordingBytes,
                    maxRecordingSeconds,
                    maxReorderBufferBytes);
        }
    }

    /**
     * Kafka settings for the streaming job; topic names default to the documented contract.
     *
     * @param controlTopic pipeline updates for the running job; null when off ({@code none})
     * @param monitorTopic the optional per-chunk monitoring topic; null when off (the default)
     * @param controlResultsTopic where the job acknowledges or rejects each control update
     * @param properties {@code kafka.properties}: Kafka client properties for every client of the
     *     job (security, timeouts); secrets belong in {@code ${ENV}} references
     */
    public record KafkaDefinition(
            String bootstrapServers,
            String inputTopic,
            String resultsTopic,
            String dlqTopic,
            String controlTopic,
            String transactionalIdPrefix,
            String monitorTopic,
            String controlResultsTopic,
            Map<String, String> properties)
            implements java.io.Serializable {

        public KafkaDefinition {
            properties = Map.copyOf(properties);
        }

        public static KafkaDefinition defaults() {
            return new KafkaDefinition(
                    "localhost:9092",
                    "audio.chunks",
                    "audio.results",
                    "audio.dlq",
                    "audio.control",
                    "audioflow",
                    null,
                    "audio.control.results",
                    Map.of());
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
