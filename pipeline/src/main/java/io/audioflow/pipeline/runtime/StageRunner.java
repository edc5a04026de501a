package io.audioflow.pipeline.runtime;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioflowException;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.StageExecutionException;
import io.audioflow.api.StagePlugin;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.plugin.LoadedPlugin;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * How one stage runs a recording, whatever runs the stage (a Flink operator, or a local run over
 * files): resolving its plugin at the version validation chose, the per-recording "failed"
 * tombstone, {@code error_handling} (retries, the {@code fallback} processor taking a recording
 * over) and turning a failure into a stable code, a dead letter and a listener call. A failure
 * fails the recording, never the runtime.
 *
 * @param <I> what the stage consumes: encoded chunks for the decoder, audio for the others
 */
public abstract class StageRunner<I, P extends StagePlugin> {

    /**
     * A stage's failure on one recording, as results and dead letters carry it.
     *
     * @param attempts how often the failing step ran ({@code error_handling: retry})
     * @param backoffMillis how long the retries waited in all
     */
    protected record Failure(ErrorCode code, String message, int attempts, long backoffMillis) {

        /** {@code result}, carrying the retries that came before this failure. */
        StageResult traced(StageResult result) {
            result.attempts = attempts;
            result.backoffMillis = backoffMillis;
            return result;
        }
    }

    /** The plugin running a recording, and the spec (config, coordinates) it runs with. */
    protected record Active<P>(P plugin, StageSpec spec) {}

    protected final StageSpec stage;
    private final Class<P> pluginType;
    private final PluginRegistry registry;
    private final LifecycleListener listener;
    private final StepMeter meter;

    /**
     * Plugins by coordinates: the stage's own, its fallback, and any a control update swapped in.
     */
    private final Map<String, P> plugins = new HashMap<>();

    /** This stage's spec under each configuration version met so far, by config digest. */
    private final Map<String, StageSpec> specs = new HashMap<>();

    private final Slot<Boolean> failed;

    /** Set while the fallback runs a recording: "code\nfrom_frame\nmessage" of the failure. */
    private final Slot<String> fallbackTaken;

    /**
     * The attempts and backoff of the step that failed last, for {@link #fail}: a runner works on
     * one element at a time, so this is the step of the element being processed.
     */
    private int lastAttempts = 1;

    private long lastBackoffMillis;

    protected StageRunner(
            StageSpec stage, Class<P> pluginType, StageServices services, RecordingSlots slots) {
        this.stage = stage;
        this.pluginType = pluginType;
        this.registry = services.registry();
        this.listener = services.listener();
        this.meter = services.meter();
        pluginFor(stage);
        if (stage.fallback() != null) pluginFor(stage.fallback());
        failed = slots.flag("failed");
        fallbackTaken = slots.text("fallback-taken");
    }

    /** Works on one element of a recording, handing on what it produced to {@code out}. */
    public abstract void process(I in, StageOutput out) throws InterruptedException;

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

    /**
     * True when an earlier chunk of this recording failed the stage: the chunk is dropped, and the
     * tombstone goes with the recording's last chunk.
     */
    protected boolean skipAfterFailure(boolean last) {
        if (!Boolean.TRUE.equals(failed.get())) return false;
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
            StageOutput out,
            String recordingId,
            RuntimeException error,
            boolean last,
            DeadLetter letter) {
        // The state store failing is the runtime's problem, not this recording's.
        if (error instanceof SlotAccessException broken) throw broken;
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
        else failed.set(true);
        fallbackTaken.clear();
        DeadLetter d = letter != null ? letter : DeadLetter.forRecording(recordingId);
        d.stage = stage.name();
        d.processor = spec.coordinates();
        d.code = code.code();
        d.message = message;
        d.exceptionClass = error.getClass().getName();
        d.attempts = attempts;
        out.deadLetter(d);
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
     * @param stored the recording's session after its last good step; null before its first
     * @param fromFrame the first frame this step covers, recorded when the fallback takes over
     */
    protected <T> T run(
            StageSpec spec,
            String recordingId,
            StoredSession stored,
            boolean handover,
            long fromFrame,
            BiFunction<Active<P>, StoredSession, T> step)
            throws InterruptedException {
        boolean onFallback = fallbackTaken.get() != null;
        StageSpec fallbackSpec = spec.fallback();
        Active<P> active =
                onFallback
                        ? new Active<>(pluginFor(fallbackSpec), fallbackSpec)
                        : new Active<>(pluginFor(spec), spec);
        // A step that fails may have changed a live session half-way: a retry starts from bytes.
        StoredSession start = stored != null && attempts(spec) > 1 ? stored.detached() : stored;
        try {
            return withRetries(spec, recordingId, () -> step.apply(active, start));
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
            fallbackTaken.set(code.code() + "\n" + fromFrame + "\n" + messageOf(e));
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
    protected StageResult finished(StageSpec spec, String recordingId) {
        StageResult r = StageResult.ok(recordingId, spec);
        String taken = fallbackTaken.get();
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
     * after a step succeeds, and {@link #run} hands a retried step its session as bytes), after a
     * backoff that doubles each time. The backoff holds this runner's thread, so keep it short
     * (validation caps it at 60 s).
     */
    protected <T> T withRetries(StageSpec spec, String recordingId, Supplier<T> step)
            throws InterruptedException {
        int attempts = attempts(spec);
        long backoff = spec.errorPolicy().backoffMillis();
        long waited = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return meter.measure(step);
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

    /**
     * Hands a step's audio on, in order.
     *
     * @return the frames of the recording's audio handed on so far
     */
    protected static long emitAudio(
            String recordingId,
            PipelineVersion config,
            List<AudioBlock> blocks,
            long framesBefore,
            StageOutput out) {
        long frames = framesBefore;
        for (AudioBlock block : blocks) {
            out.audio(AudioChunk.of(recordingId, block, false).under(config));
            frames = block.startFrame() + block.frames();
        }
        return frames;
    }

    /** Reports the last successful step to the stage's meter, with the audio it covered. */
    protected void stepDone(long frames, int sampleRate) {
        meter.stepDone(sampleRate > 0 ? frames / (double) sampleRate : 0);
    }

    private static int attempts(StageSpec spec) {
        ErrorPolicy policy = spec.errorPolicy();
        return policy.mode() == ErrorPolicy.Mode.RETRY ? Math.max(1, policy.attempts()) : 1;
    }
}
