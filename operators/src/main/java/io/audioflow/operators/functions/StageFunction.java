package io.audioflow.operators.functions;

import io.audioflow.api.AudioflowException;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.StageExecutionException;
import io.audioflow.api.StagePlugin;
import io.audioflow.operators.metrics.StageMetrics;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.LifecycleListeners;
import io.audioflow.operators.plugin.LoadedPlugin;
import io.audioflow.operators.plugin.LoggingLifecycleListener;
import io.audioflow.operators.plugin.PluginRegistry;
import io.audioflow.operators.plugin.ShippedPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * What every stage operator shares: resolving its plugin at the version validation chose, the
 * per-recording "failed" tombstone, and turning a failure into a stable code that is reported to
 * the lifecycle listener, and the {@code fallback} processor taking over a recording. A failure
 * fails the recording, never the job.
 */
abstract class StageFunction<I, O, P extends StagePlugin>
        extends KeyedProcessFunction<String, I, O> {

    /** A stage's failure on one recording, as results and dead letters carry it. */
    /**
     * @param attempts how often the failing step ran ({@code error_handling: retry})
     * @param backoffMillis how long the retries waited in all
     */
    record Failure(ErrorCode code, String message, int attempts, long backoffMillis) {

        /** {@code result}, carrying the retries that came before this failure. */
        StageResult traced(StageResult result) {
            result.attempts = attempts;
            result.backoffMillis = backoffMillis;
            return result;
        }
    }

    protected final StageSpec stage;
    private final Class<P> pluginType;
    private transient PluginRegistry registry;

    /**
     * Plugins by coordinates: the stage's own, its fallback, and any a control update swapped in.
     */
    private transient Map<String, P> plugins;

    /** This stage's spec under each configuration version met so far, by config digest. */
    private transient Map<String, StageSpec> specs;

    private transient ValueState<Boolean> failed;

    /**
     * The attempts and backoff of the step that failed last, for {@link #fail}: elements are
     * processed one at a time, so this is the step of the element being processed.
     */
    private transient int lastAttempts = 1;

    private transient long lastBackoffMillis;

    /** Set while the fallback runs a recording: "code\nfrom_frame\nmessage" of the failure. */
    private transient ValueState<String> fallbackTaken;

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
        listener =
                LifecycleListeners.of(
                        new LoggingLifecycleListener(getRuntimeContext().getJobInfo().getJobName()),
                        metrics);
        // The fallback was resolved against the same paths and pins: one scan serves both.
        registry =
                PluginRegistry.load(
                        ShippedPlugins.local(
                                stage.pluginPaths(), getRuntimeContext().getDistributedCache()),
                        stage.allowedPluginSha256(),
                        listener);
        plugins = new HashMap<>();
        specs = new HashMap<>();
        pluginFor(stage);
        if (stage.fallback() != null) pluginFor(stage.fallback());
        failed = getRuntimeContext().getState(new ValueStateDescriptor<>("failed", Types.BOOLEAN));
        fallbackTaken =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("fallback-taken", Types.STRING));
        openState();
    }

    /** The plugin running a recording, and the spec (config, coordinates) it runs with. */
    protected record Active<P>(P plugin, StageSpec spec) {}

    /**
     * This stage as the recording's configuration version has it: the submitted spec, or the one a
     * control update set (other config, another processor) before the recording started.
     */
    protected StageSpec specFor(PipelineVersion config) {
        if (config == null) return stage;
        return specs.computeIfAbsent(
                config.configSha256(),
                v -> config.changedStages().getOrDefault(stage.name(), stage));
    }

    private P pluginFor(StageSpec spec) {
        return plugins.computeIfAbsent(
                spec.coordinates(),
                c -> {
                    LoadedPlugin loaded = registry.require(spec.plugin(), spec.semVer());
                    listener.stageOpened(stage.name(), loaded.info());
                    return pluginType.cast(loaded.plugin());
                });
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
            StageSpec spec,
            Context ctx,
            String recordingId,
            Throwable error,
            boolean last,
            DeadLetter letter)
            throws IOException {
        ErrorCode code = codeOf(error);
        int attempts = lastAttempts;
        long backoff = lastBackoffMillis;
        String message =
                messageOf(error)
                        + (attempts > 1
                                ? " (after "
                                        + attempts
                                        + " attempts, "
                                        + backoff
                                        + " ms of backoff)"
                                : "");
        listener.stageFailed(stage.name(), recordingId, code, message);
        if (last) failed.clear();
        else failed.update(true);
        fallbackTaken.clear();
        DeadLetter d = letter != null ? letter : DeadLetter.forRecording(recordingId);
        d.stage = stage.name();
        d.processor = spec.coordinates();
        d.code = code.code();
        d.message = message;
        d.exceptionClass = error.getClass().getName();
        d.attempts = attempts;
        ctx.output(StageOutputs.DEAD_LETTERS, d);
        lastAttempts = 1;
        lastBackoffMillis = 0;
        return new Failure(code, message, attempts, backoff);
    }

    protected void clearFailure() {
        failed.clear();
        fallbackTaken.clear();
    }

    /**
     * Runs one step on a recording's stored state with the plugin now in charge of it, under the
     * stage's {@code error_handling}: retries first; then, if the stage has a {@code fallback} and
     * {@code handover} allows it, the fallback takes the recording over from a fresh state and
     * keeps it to the end. Decoders and processors hand over only before they have emitted audio
     * (their output would otherwise change plugin mid-stream); analyzers at any chunk, and their
     * result records the frame the fallback started from.
     *
     * @param fromFrame the first frame this step covers, recorded when the fallback takes over
     */
    protected <T> T run(
            StageSpec spec,
            String recordingId,
            byte[] stored,
            boolean handover,
            long fromFrame,
            BiFunction<Active<P>, byte[], T> step)
            throws Exception {
        boolean onFallback = fallbackTaken.value() != null;
        StageSpec fallbackSpec = spec.fallback();
        Active<P> active =
                onFallback
                        ? new Active<>(pluginFor(fallbackSpec), fallbackSpec)
                        : new Active<>(pluginFor(spec), spec);
        try {
            return withRetries(spec, recordingId, () -> step.apply(active, stored));
        } catch (RuntimeException e) {
            if (fallbackSpec == null || onFallback) throw e;
            String fallback = fallbackSpec.coordinates();
            ErrorCode code = codeOf(e);
            if (!handover) {
                throw new StageExecutionException(
                        code,
                        messageOf(e)
                                + " (fallback `"
                                + fallback
                                + "` cannot take over: the stage already emitted audio for this"
                                + " recording)",
                        e);
            }
            listener.stageFellBack(stage.name(), recordingId, fallback, code, messageOf(e));
            fallbackTaken.update(code.code() + "\n" + fromFrame + "\n" + messageOf(e));
            Active<P> taking = new Active<>(pluginFor(fallbackSpec), fallbackSpec);
            try {
                return withRetries(spec, recordingId, () -> step.apply(taking, null));
            } catch (RuntimeException again) {
                throw new StageExecutionException(
                        codeOf(again),
                        "fallback `"
                                + fallback
                                + "` failed too: "
                                + messageOf(again)
                                + " (after `"
                                + spec.coordinates()
                                + "`: "
                                + messageOf(e)
                                + ")",
                        again);
            }
        }
    }

    /**
     * The stage's result for a recording it finished, naming the fallback if one took over; the
     * recording's fallback state is cleared.
     */
    protected StageResult finished(StageSpec spec, String recordingId) throws IOException {
        StageResult r = StageResult.ok(recordingId, spec);
        String taken = fallbackTaken.value();
        if (taken != null) {
            String[] parts = taken.split("\n", 3);
            r.plugin = spec.fallback().coordinates();
            r.fallback.put("processor", spec.fallback().coordinates());
            r.fallback.put("replaced", spec.coordinates());
            r.fallback.put("error_code", parts[0]);
            r.fallback.put("from_frame", parts[1]);
            r.fallback.put("message", parts[2]);
            fallbackTaken.clear();
        }
        return r;
    }

    private static ErrorCode codeOf(Throwable error) {
        return error instanceof AudioflowException af ? af.code() : ErrorCode.STAGE_FAILED;
    }

    private static String messageOf(Throwable error) {
        String message = error.getMessage();
        if (message == null) return error.getClass().getName();
        return error instanceof AudioflowException
                ? message
                : error.getClass().getSimpleName() + ": " + message;
    }

    /**
     * Runs one step of the stage on one chunk under the stage's {@code error_handling}: with {@code
     * retry}, a failed step runs again from the recording's last good state (state is only stored
     * after a step succeeds), after a backoff that doubles each time. The backoff holds this
     * subtask, so keep it short (validation caps it at 60 s).
     */
    protected <T> T withRetries(StageSpec spec, String recordingId, Supplier<T> step)
            throws InterruptedException {
        int attempts = attempts(spec);
        long backoff = spec.errorPolicy().backoffMillis();
        long waited = 0;
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                T done = step.get();
                stepNanos = System.nanoTime() - started;
                return done;
            } catch (RuntimeException e) {
                if (attempt >= attempts) {
                    lastAttempts = attempt;
                    lastBackoffMillis = waited;
                    throw e;
                }
                listener.stageRetried(stage.name(), recordingId, attempt, backoff);
                if (backoff > 0) Thread.sleep(backoff);
                waited += backoff;
                backoff *= 2;
            }
        }
    }

    /** Reports the last successful step to the stage's metrics, with the audio it covered. */
    protected void stepDone(long frames, int sampleRate) {
        metrics.chunkProcessed(stepNanos, sampleRate > 0 ? frames / (double) sampleRate : 0);
    }

    private static int attempts(StageSpec spec) {
        ErrorPolicy policy = spec.errorPolicy();
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
