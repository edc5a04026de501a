package io.audioflow.pipeline.runtime;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioAnalyzer.Accumulator;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.FrameTrack;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.ValidationException;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ChunkProgress;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.util.ArrayList;
import java.util.List;

/** An analyzer stage: accumulates a recording chunk by chunk, reports its metrics at the end. */
public final class AnalyzerStage extends StageRunner<AudioChunk, AudioAnalyzer> {

    private final boolean reportProgress;
    private final boolean passAudio;
    private final Slot<StoredSession> accumulator;

    /**
     * Shadow runners by the shadow spec they run: the submitted one, and any a control update set
     * (a recording keeps the configuration it started under, so one runs per recording). They share
     * the slots under {@code shadow-}.
     */
    private final java.util.Map<StageSpec, AnalyzerStage> shadows = new java.util.HashMap<>();

    private final StageServices services;
    private final RecordingSlots slots;

    /** The shadow running the current element, or null. */
    private AnalyzerStage shadow;

    /**
     * Why the shadow gave up on the recording, kept until the recording's last chunk: a shadow that
     * fails part-way has nothing to say when the live stage reports.
     */
    private Slot<String> shadowFailure;

    /** What the shadow handed on for the current element: only its result is kept. */
    private final ShadowOutput shadowOutput = new ShadowOutput();

    private final boolean isShadow;

    /**
     * @param reportProgress report each chunk's {@code progress()} metrics, for the monitoring
     *     topic
     * @param passAudio pass the input audio on with this analyzer's products attached, for the
     *     stages that depend on it
     */
    public AnalyzerStage(
            StageSpec stage,
            boolean reportProgress,
            boolean passAudio,
            StageServices services,
            RecordingSlots slots) {
        this(stage, reportProgress, passAudio, services, slots, false);
    }

    private AnalyzerStage(
            StageSpec stage,
            boolean reportProgress,
            boolean passAudio,
            StageServices services,
            RecordingSlots slots,
            boolean isShadow) {
        super(stage, AudioAnalyzer.class, services, slots);
        this.reportProgress = reportProgress;
        this.passAudio = passAudio;
        this.isShadow = isShadow;
        accumulator = slots.session("analyzer-state", "accumulator");
        this.services = services;
        this.slots = slots;
        if (stage.shadow() != null) shadowFor(stage);
    }

    private AnalyzerStage shadowFor(StageSpec spec) {
        if (isShadow || spec.shadow() == null) return null;
        if (shadowFailure == null) shadowFailure = slots.text("shadow-failure");
        return shadows.computeIfAbsent(
                spec.shadow(),
                s ->
                        new AnalyzerStage(
                                s,
                                false,
                                false,
                                shadowServices(services),
                                slots.prefixed("shadow-"),
                                true));
    }

    /**
     * A shadow is not the stage: its steps are not timed as the stage's (the stage's metrics
     * measure the live processor) and its lifecycle events are heard by nobody.
     */
    private static StageServices shadowServices(StageServices live) {
        return new StageServices(
                live.registry(), io.audioflow.api.LifecycleListener.NONE, StepMeter.NONE);
    }

    /** A shadow runs its own spec whatever a control update did to the live stage. */
    @Override
    protected StageSpec specFor(io.audioflow.operators.model.PipelineVersion config) {
        return isShadow ? stage : super.specFor(config);
    }

    /** Keeps the shadow's result; its dead letters and audio go nowhere. */
    private static final class ShadowOutput implements StageOutput {
        StageResult result;

        @Override
        public void audio(AudioChunk chunk) {}

        @Override
        public void result(StageResult r) {
            result = r;
        }

        @Override
        public void deadLetter(io.audioflow.operators.model.DeadLetter letter) {}
    }

    /**
     * Runs the shadow on the element; a shadow's failure, even a defect, never reaches the live
     * result: it is only reported in the result's shadow object.
     */
    private void runShadow(StageSpec spec, AudioChunk in) throws InterruptedException {
        shadow = shadowFor(spec);
        if (shadow == null) return;
        shadowOutput.result = null;
        try {
            shadow.process(in, shadowOutput);
        } catch (RuntimeException e) {
            shadowOutput.result =
                    StageResult.failed(
                            in.recordingId,
                            shadow.stage,
                            io.audioflow.api.ErrorCode.INTERNAL_ERROR.code(),
                            String.valueOf(e.getMessage()));
        }
        StageResult s = shadowOutput.result;
        if (s != null && !StageResult.OK.equals(s.status))
            shadowFailure.set(
                    (s.errorCode != null ? s.errorCode : s.status)
                            + (s.errorMessage != null ? ": " + s.errorMessage : ""));
    }

    /** {@code live} with what the shadow reported for the recording. */
    private StageResult withShadow(StageResult live) {
        if (shadow == null) return live;
        StageResult s = shadowOutput.result;
        if (s != null && StageResult.OK.equals(s.status)) live.shadowMetrics.putAll(s.metrics);
        else live.shadowError = shadowFailure.get();
        return live;
    }

    /**
     * The plugin that ran this chunk, the accumulator after it, its progress, the products it
     * completed, and the metrics if it was the last.
     */
    private record Step(
            AudioAnalyzer plugin,
            Accumulator accumulator,
            List<QualityMetric> progress,
            List<FrameTrack> tracks,
            List<QualityMetric> metrics) {}

    private static Step step(
            Active<AudioAnalyzer> active,
            StoredSession stored,
            AudioChunk in,
            boolean reportProgress,
            boolean passAudio) {
        AudioAnalyzer plugin = active.plugin();
        StageSpec spec = active.spec();
        Accumulator acc;
        if (stored == null) {
            if (!plugin.accepts(spec.context().config()).accepts(in.format())) {
                throw new ValidationException(
                        ErrorCode.FORMAT_MISMATCH,
                        "stage `"
                                + spec.name()
                                + "` needs "
                                + plugin.accepts(spec.context().config())
                                + " but got "
                                + in.format());
            }
            acc = plugin.open(in.format(), spec.context());
        } else {
            acc =
                    stored.resume(
                            plugin,
                            Accumulator.class,
                            bytes -> plugin.restore(in.format(), spec.context(), bytes));
        }
        List<QualityMetric> progress = List.of();
        List<FrameTrack> tracks = List.of();
        if (in.samples.length > 0) {
            acc.accept(in.block());
            if (reportProgress) progress = acc.progress();
            if (passAudio) tracks = acc.tracks();
        }
        return new Step(plugin, acc, progress, tracks, in.last ? acc.result() : List.of());
    }

    /** The input audio with the upstream products it came with and this stage's new ones. */
    private static AudioChunk annotated(AudioChunk in, List<FrameTrack> own) {
        if (own.isEmpty()) return in;
        List<FrameTrack> all = new ArrayList<>();
        if (in.tracks != null) all.addAll(List.of(in.tracks));
        all.addAll(own);
        return in.withTracks(all);
    }

    private ChunkProgress progress(AudioChunk in, long frames, Step step) {
        ChunkProgress p = new ChunkProgress();
        p.recordingId = in.recordingId;
        p.stage = stage.name();
        p.startS = in.startFrame / (double) in.sampleRate;
        p.endS = (in.startFrame + frames) / (double) in.sampleRate;
        p.last = in.last;
        for (QualityMetric m : step.progress())
            p.metrics.put(stage.name() + "." + m.name(), m.value());
        return p;
    }

    @Override
    public void process(AudioChunk in, StageOutput out) throws InterruptedException {
        try {
            analyse(in, out);
        } finally {
            // The recording ends here for the shadow too, whatever the live stage did.
            if (in.last && shadowFailure != null) shadowFailure.clear();
        }
    }

    private void analyse(AudioChunk in, StageOutput out) throws InterruptedException {
        StageSpec spec = specFor(in.config);
        runShadow(spec, in);
        if (in.failed()) {
            out.result(withShadow(StageResult.upstreamFailed(in, spec).under(in.config)));
            if (passAudio) out.audio(in);
            accumulator.clear();
            clearFailure();
            return;
        }
        if (skipAfterFailure(in.last)) return;
        try {
            StoredSession stored = accumulator.get();
            Step step =
                    run(
                            spec,
                            in.recordingId,
                            stored,
                            true,
                            in.startFrame,
                            (a, s) -> step(a, s, in, reportProgress, passAudio));
            long frames = in.channels > 0 ? in.samples.length / in.channels : 0;
            stepDone(frames, in.sampleRate);
            if (!step.progress().isEmpty()) out.progress(progress(in, frames, step));
            if (passAudio) out.audio(annotated(in, step.tracks()));
            if (in.last) {
                StageResult result = finished(spec, in.recordingId).under(in.config);
                for (QualityMetric metric : step.metrics()) {
                    result.metrics.put(metric.name(), metric.value());
                }
                out.result(withShadow(result));
                accumulator.clear();
            } else {
                accumulator.set(StoredSession.live(0, step.accumulator(), step.plugin()));
            }
        } catch (RuntimeException e) {
            Failure f = fail(spec, out, in.recordingId, e, in.last, null);
            if (passAudio)
                out.audio(
                        AudioChunk.failure(
                                        in.recordingId, f.code().code(), stage.name(), f.message())
                                .under(in.config));
            out.result(
                    withShadow(
                            f.traced(
                                            spec.errorPolicy().mode() == ErrorPolicy.Mode.SKIP
                                                    ? StageResult.skipped(
                                                            in.recordingId,
                                                            spec,
                                                            f.code().code() + ": " + f.message())
                                                    : StageResult.failed(
                                                            in.recordingId,
                                                            spec,
                                                            f.code().code(),
                                                            f.message()))
                                    .under(in.config)));
            accumulator.clear();
        }
    }
}
