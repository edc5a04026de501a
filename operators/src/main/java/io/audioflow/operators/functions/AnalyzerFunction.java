package io.audioflow.operators.functions;

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
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.util.Collector;

/** An analyzer stage: accumulates a recording chunk by chunk, emits its metrics at the end. */
public class AnalyzerFunction extends StageFunction<AudioChunk, StageResult, AudioAnalyzer> {

    private final boolean reportProgress;
    private final boolean passAudio;
    private transient ValueState<byte[]> accumulator;

    public AnalyzerFunction(StageSpec stage) {
        this(stage, false, false);
    }

    /**
     * @param reportProgress emit each chunk's {@code progress()} metrics on {@link
     *     StageOutputs#PROGRESS}, for the monitoring topic
     * @param passAudio pass the input audio on at {@link StageOutputs#AUDIO} with this analyzer's
     *     products attached, for the stages that depend on it
     */
    public AnalyzerFunction(StageSpec stage, boolean reportProgress, boolean passAudio) {
        super(stage, AudioAnalyzer.class);
        this.reportProgress = reportProgress;
        this.passAudio = passAudio;
    }

    @Override
    protected void openState() {
        accumulator = getRuntimeContext().getState(StateBytes.descriptor("accumulator"));
    }

    /**
     * The accumulator after this chunk, its progress, the products it completed, and the metrics if
     * it was the last.
     */
    private record Step(
            Accumulator accumulator,
            List<QualityMetric> progress,
            List<FrameTrack> tracks,
            List<QualityMetric> metrics) {}

    private static Step step(
            Active<AudioAnalyzer> active,
            byte[] stored,
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
            DataInputStream reader = StateBytes.read(stored);
            acc =
                    unchecked(
                            () -> {
                                reader.readLong();
                                return plugin.restore(in.format(), spec.context(), reader);
                            });
        }
        List<QualityMetric> progress = List.of();
        List<FrameTrack> tracks = List.of();
        if (in.samples.length > 0) {
            acc.accept(in.block());
            if (reportProgress) progress = acc.progress();
            if (passAudio) tracks = acc.tracks();
        }
        return new Step(acc, progress, tracks, in.last ? acc.result() : List.of());
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
    public void processElement(AudioChunk in, Context ctx, Collector<StageResult> out)
            throws Exception {
        StageSpec spec = specFor(in.config);
        if (in.failed()) {
            out.collect(StageResult.upstreamFailed(in, spec).under(in.config));
            if (passAudio) ctx.output(StageOutputs.AUDIO, in);
            accumulator.clear();
            clearFailure();
            return;
        }
        if (skipAfterFailure(in.last)) return;
        try {
            byte[] stored = accumulator.value();
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
            if (!step.progress().isEmpty())
                ctx.output(StageOutputs.PROGRESS, progress(in, frames, step));
            if (passAudio) ctx.output(StageOutputs.AUDIO, annotated(in, step.tracks()));
            if (in.last) {
                StageResult result = finished(spec, in.recordingId).under(in.config);
                for (QualityMetric metric : step.metrics()) {
                    result.metrics.put(metric.name(), metric.value());
                }
                out.collect(result);
                accumulator.clear();
            } else {
                accumulator.update(StateBytes.write(0, step.accumulator()));
            }
        } catch (RuntimeException e) {
            Failure f = fail(spec, ctx, in.recordingId, e, in.last, null);
            if (passAudio)
                ctx.output(
                        StageOutputs.AUDIO,
                        AudioChunk.failure(
                                        in.recordingId, f.code().code(), stage.name(), f.message())
                                .under(in.config));
            out.collect(
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
                            .under(in.config));
            accumulator.clear();
        }
    }
}
