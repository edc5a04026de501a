package io.audioflow.job.kafka;

import io.audioflow.job.compile.GraphSettings;
import io.audioflow.job.pipeline.PipelineDefinition.CheckpointDefinition;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/**
 * Checkpointing, state backend, restarts and restore for the streaming job, as Flink configuration.
 * The pipeline file's {@code checkpointing} section gives the defaults; flags override them.
 *
 * @param restartAttempts restarts before the job fails for good: a bounded number, so a broken
 *     setting (an unreachable broker, a transaction timeout the broker refuses) ends in a clear
 *     failure instead of restarting forever
 * @param restoreFrom a savepoint or retained checkpoint to resume from, or null
 * @param allowNonRestoredState restore even when the savepoint holds state of operators the job no
 *     longer has (a stage removed, or renamed without keeping its uid); that state is dropped
 */
public record ExecutionSettings(
        CheckpointDefinition checkpointing,
        int restartAttempts,
        long restartDelayMs,
        String restoreFrom,
        boolean allowNonRestoredState) {

    public static ExecutionSettings of(CheckpointDefinition checkpointing) {
        return new ExecutionSettings(checkpointing, 3, 10_000, null, false);
    }

    public ExecutionSettings withCheckpointInterval(long intervalMs) {
        return new ExecutionSettings(
                new CheckpointDefinition(
                        intervalMs,
                        checkpointing.mode(),
                        checkpointing.storage(),
                        checkpointing.stateBackend()),
                restartAttempts,
                restartDelayMs,
                restoreFrom,
                allowNonRestoredState);
    }

    public ExecutionSettings withCheckpointStorage(String storage) {
        return new ExecutionSettings(
                new CheckpointDefinition(
                        checkpointing.intervalMs(),
                        checkpointing.mode(),
                        storage,
                        checkpointing.stateBackend()),
                restartAttempts,
                restartDelayMs,
                restoreFrom,
                allowNonRestoredState);
    }

    /** {@code hashmap} or {@code rocksdb}. */
    public ExecutionSettings withStateBackend(String backend) {
        return new ExecutionSettings(
                new CheckpointDefinition(
                        checkpointing.intervalMs(),
                        checkpointing.mode(),
                        checkpointing.storage(),
                        backend),
                restartAttempts,
                restartDelayMs,
                restoreFrom,
                allowNonRestoredState);
    }

    public ExecutionSettings withRestarts(int attempts, long delayMs) {
        return new ExecutionSettings(
                checkpointing, attempts, delayMs, restoreFrom, allowNonRestoredState);
    }

    public ExecutionSettings restoringFrom(String path) {
        return new ExecutionSettings(
                checkpointing, restartAttempts, restartDelayMs, path, allowNonRestoredState);
    }

    public ExecutionSettings allowingNonRestoredState() {
        return new ExecutionSettings(
                checkpointing, restartAttempts, restartDelayMs, restoreFrom, true);
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
        c.setString("restart-strategy.type", "fixed-delay");
        c.setString("restart-strategy.fixed-delay.attempts", String.valueOf(restartAttempts));
        c.setString("restart-strategy.fixed-delay.delay", restartDelayMs + " ms");
        if (restoreFrom != null) c.setString("execution.state-recovery.path", uri(restoreFrom));
        if (allowNonRestoredState)
            c.setString("execution.state-recovery.ignore-unclaimed-state", "true");
        return GraphSettings.applyTo(c);
    }

    /** A bare local path becomes a file URI; anything with a scheme (s3://, hdfs://) stays. */
    private static String uri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")
                ? location
                : Path.of(location).toAbsolutePath().toUri().toString();
    }
}
