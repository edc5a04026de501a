package io.audioflow.job.kafka;

import io.audioflow.job.compile.GraphSettings;
import io.audioflow.pipeline.definition.PipelineDefinition.CheckpointDefinition;
import io.audioflow.pipeline.definition.PipelineDefinition.RestartDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * Checkpointing, state backend, restarts and restore for the streaming job, as Flink configuration.
 * The pipeline file's {@code checkpointing} section gives the defaults; flags override them.
 *
 * @param restarts Flink's exponential-delay restarts: a bounded number in a row, so a broken
 *     setting (an unreachable broker, a transaction timeout the broker refuses) ends in a clear
 *     failure instead of restarting forever, but forgotten after a while of running, so that the
 *     occasional lost TaskManager over a job's years never ends it
 * @param restoreFrom a savepoint or retained checkpoint to resume from, or null
 * @param allowNonRestoredState restore even when the savepoint holds state of operators the job no
 *     longer has (a stage removed, or renamed without keeping its uid); that state is dropped
 * @param bufferTimeout how long results may wait in a network buffer before they are sent ({@link
 *     GraphSettings#BUFFER_TIMEOUT} unless set); chunks from Kafka never wait
 */
public record ExecutionSettings(
        CheckpointDefinition checkpointing,
        RestartDefinition restarts,
        String restoreFrom,
        boolean allowNonRestoredState,
        Duration bufferTimeout) {

    public ExecutionSettings {
        if (bufferTimeout.isNegative())
            throw new IllegalArgumentException(
                    "the buffer timeout must be 0 (send at once) or more, not " + bufferTimeout);
    }

    public static ExecutionSettings of(CheckpointDefinition checkpointing) {
        return of(checkpointing, RestartDefinition.defaults());
    }

    public static ExecutionSettings of(
            CheckpointDefinition checkpointing, RestartDefinition restarts) {
        return new ExecutionSettings(
                checkpointing, restarts, null, false, GraphSettings.BUFFER_TIMEOUT);
    }

    public ExecutionSettings withCheckpointInterval(long intervalMs) {
        return new ExecutionSettings(
                new CheckpointDefinition(
                        intervalMs,
                        checkpointing.mode(),
                        checkpointing.storage(),
                        checkpointing.stateBackend()),
                restarts,
                restoreFrom,
                allowNonRestoredState,
                bufferTimeout);
    }

    public ExecutionSettings withCheckpointStorage(String storage) {
        return new ExecutionSettings(
                new CheckpointDefinition(
                        checkpointing.intervalMs(),
                        checkpointing.mode(),
                        storage,
                        checkpointing.stateBackend()),
                restarts,
                restoreFrom,
                allowNonRestoredState,
                bufferTimeout);
    }

    /** {@code hashmap} or {@code rocksdb}. */
    public ExecutionSettings withStateBackend(String backend) {
        return new ExecutionSettings(
                new CheckpointDefinition(
                        checkpointing.intervalMs(),
                        checkpointing.mode(),
                        checkpointing.storage(),
                        backend),
                restarts,
                restoreFrom,
                allowNonRestoredState,
                bufferTimeout);
    }

    public ExecutionSettings withRestarts(RestartDefinition r) {
        return new ExecutionSettings(
                checkpointing, r, restoreFrom, allowNonRestoredState, bufferTimeout);
    }

    public ExecutionSettings restoringFrom(String path) {
        return new ExecutionSettings(
                checkpointing, restarts, path, allowNonRestoredState, bufferTimeout);
    }

    public ExecutionSettings allowingNonRestoredState() {
        return new ExecutionSettings(checkpointing, restarts, restoreFrom, true, bufferTimeout);
    }

    public ExecutionSettings withBufferTimeout(Duration timeout) {
        return new ExecutionSettings(
                checkpointing, restarts, restoreFrom, allowNonRestoredState, timeout);
    }

    public Configuration toConfiguration() {
        Configuration c = new Configuration();
        c.setString("execution.checkpointing.interval", checkpointing.intervalMs() + " ms");
        c.setString(
                "execution.checkpointing.mode",
                checkpointing.mode().toUpperCase(Locale.ROOT).replace('-', '_'));
        // Keep the last checkpoint when the job is cancelled, so it can be resumed with -s.
        c.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        if (checkpointing.storage() != null) {
            c.setString("execution.checkpointing.storage", "filesystem");
            c.setString("execution.checkpointing.dir", uri(checkpointing.storage()));
        }
        c.setString("state.backend.type", checkpointing.stateBackend());
        if (restarts.attempts() == 0) {
            c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                    restarts.attempts());
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    Duration.ofMillis(restarts.initialBackoffMs()));
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    Duration.ofMillis(restarts.maxBackoffMs()));
            c.set(
                    RestartStrategyOptions
                            .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    Duration.ofMillis(restarts.resetAfterMs()));
        }
        if (restoreFrom != null) c.setString("execution.state-recovery.path", uri(restoreFrom));
        if (allowNonRestoredState)
            c.setString("execution.state-recovery.ignore-unclaimed-state", "true");
        Configuration graph = GraphSettings.applyTo(c);
        graph.set(ExecutionOptions.BUFFER_TIMEOUT, bufferTimeout);
        return graph;
    }

    /** A bare local path becomes a file URI; anything with a scheme (s3://, hdfs://) stays. */
    private static String uri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")
                ? location
                : Path.of(location).toAbsolutePath().toUri().toString();
    }
}
