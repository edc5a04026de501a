package io.audioflow.operators.functions;

import io.audioflow.api.AudioflowException;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.StagePlugin;
import io.audioflow.operators.metrics.StageMetrics;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.LifecycleListeners;
import io.audioflow.operators.plugin.LoadedPlugin;
import io.audioflow.operators.plugin.LoggingLifecycleListener;
import io.audioflow.operators.plugin.PluginRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * What every stage operator shares: resolving its plugin at the version validation chose, the
 * per-recording "failed" tombstone, and turning a failure into a stable code that is reported to
 * the lifecycle listener. A failure fails the recording, never the job.
 */
abstract class StageFunction<I, O, P extends StagePlugin>
        extends KeyedProcessFunction<String, I, O> {

    /** A stage's failure on one recording, as results and dead letters carry it. */
    record Failure(ErrorCode code, String message) {}

    protected final StageSpec stage;
    private final Class<P> pluginType;
    protected transient P plugin;
    private transient ValueState<Boolean> failed;
    private transient LifecycleListener listener;
    private transient StageMetrics metrics;
    private transient long stepNanos;

    StageFunction(StageSpec stage, Class<P> pluginType) {
        this.stage = stage;
        this.pluginType = pluginType;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup(), stage.name());
        listener = LifecycleListeners.of(new LoggingLifecycleListener(), metrics);
        LoadedPlugin loaded =
                PluginRegistry.load(stage.pluginPaths(), listener)
                        .require(stage.plugin(), stage.semVer());
        plugin = pluginType.cast(loaded.plugin());
        failed = getRuntimeContext().getState(new ValueStateDescriptor<>("failed", Types.BOOLEAN));
        openState();
        listener.stageOpened(stage.name(), loaded.info());
    }

    /** Registers the subclass's keyed state. */
    protected abstract void openState();

    /**
     * True when an earlier chunk of this recording failed the stage: the chunk is dropped, and the
     * tombstone goes with the recording's last chunk.
     */
    protected boolean skipAfterFailure(boolean last) throws IOException {
        if (!Boolean.TRUE.equals(failed.value())) return false;
        if (last) failed.clear();
        return true;
    }

    /**
     * Records a failure: the listener hears of it, a dead letter carries it to the DLQ topic, and
     * later chunks are dropped until the last.
     *
     * @param letter the input message that failed, kept whole; null when the stage works on decoded
     *     audio, and the dead letter then names the recording only
     */
    protected Failure fail(
            Context ctx, String recordingId, Throwable error, boolean last, DeadLetter letter)
            throws IOException {
        ErrorCode code =
                error instanceof AudioflowException af ? af.code() : ErrorCode.STAGE_FAILED;
        String message = error.getMessage();
        if (message == null) message = error.getClass().getName();
        else if (!(error instanceof AudioflowException))
            message = error.getClass().getSimpleName() + ": " + message;
        listener.stageFailed(stage.name(), recordingId, code, message);
        if (last) failed.clear();
        else failed.update(true);
        DeadLetter d = letter != null ? letter : DeadLetter.forRecording(recordingId);
        d.stage = stage.name();
        d.processor = stage.coordinates();
        d.code = code.code();
        d.message = message;
        d.exceptionClass = error.getClass().getName();
        d.attempts = attempts();
        ctx.output(StageOutputs.DEAD_LETTERS, d);
        return new Failure(code, message);
    }

    protected void clearFailure() {
        failed.clear();
    }

    /**
     * Runs one step of the stage on one chunk under the stage's {@code error_handling}: with {@code
     * retry}, a failed step runs again from the recording's last good state (state is only stored
     * after a step succeeds), after a backoff that doubles each time. The backoff holds this
     * subtask, so keep it short (validation caps it at 60 s).
     */
    protected <T> T withRetries(String recordingId, Supplier<T> step) throws InterruptedException {
        int attempts = attempts();
        long backoff = stage.errorPolicy().backoffMillis();
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                T done = step.get();
                stepNanos = System.nanoTime() - started;
                return done;
            } catch (RuntimeException e) {
                if (attempt >= attempts) throw e;
                listener.stageRetried(stage.name(), recordingId, attempt, backoff);
                if (backoff > 0) Thread.sleep(backoff);
                backoff *= 2;
            }
        }
    }

    /** Reports the last successful step to the stage's metrics, with the audio it covered. */
    protected void stepDone(long frames, int sampleRate) {
        metrics.chunkProcessed(stepNanos, sampleRate > 0 ? frames / (double) sampleRate : 0);
    }

    private int attempts() {
        ErrorPolicy policy = stage.errorPolicy();
        return policy.mode() == ErrorPolicy.Mode.RETRY ? Math.max(1, policy.attempts()) : 1;
    }

    /** Plugins restore from a DataInput, which throws IOException; a step is a Supplier. */
    protected static <T> T unchecked(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    protected interface IoSupplier<T> {
        T get() throws IOException;
    }
}
