package io.audioflow.pipeline.runtime;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.AudioProcessor.ProcessorSession;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.util.ArrayList;
import java.util.List;

/** A processor stage (resample, downmix…): audio in, audio out, per recording. */
public final class ProcessorStage extends StageRunner<AudioChunk, AudioProcessor> {

    private final Slot<StoredSession> session;

    public ProcessorStage(StageSpec stage, StageServices services, RecordingSlots slots) {
        super(stage, AudioProcessor.class, services, slots);
        session = slots.session("processor-state", "processor-session");
    }

    /**
     * The plugin that ran this chunk, its session after it, the blocks it produced, and the frames
     * produced before.
     */
    private record Step(
            AudioProcessor plugin,
            ProcessorSession session,
            List<AudioBlock> blocks,
            long framesBefore) {}

    private static Step step(Active<AudioProcessor> active, StoredSession stored, AudioChunk in) {
        AudioProcessor plugin = active.plugin();
        StageSpec spec = active.spec();
        List<AudioBlock> blocks = new ArrayList<>();
        long frames = 0;
        ProcessorSession s;
        if (stored == null) {
            if (!plugin.accepts(spec.context().config()).accepts(in.format())) {
                throw new ValidationException(
                        ErrorCode.FORMAT_MISMATCH,
                        "stage `" + spec.name() + "` does not accept " + in.format());
            }
            s = plugin.open(in.format(), spec.context());
        } else {
            frames = stored.frames();
            s =
                    stored.resume(
                            plugin,
                            ProcessorSession.class,
                            bytes -> plugin.restore(in.format(), spec.context(), bytes));
        }
        if (in.samples.length > 0) s.process(in.block(), blocks::add);
        if (in.last) s.finish(blocks::add);
        return new Step(plugin, s, blocks, frames);
    }

    @Override
    public void process(AudioChunk in, StageOutput out) throws InterruptedException {
        StageSpec spec = specFor(in.config);
        if (in.failed()) {
            out.audio(in); // keeps the root cause's code and stage for the result
            out.result(StageResult.upstreamFailed(in, spec).under(in.config));
            session.clear();
            clearFailure();
            return;
        }
        if (skipAfterFailure(in.last)) return;
        try {
            StoredSession stored = session.get();
            // Hands over only before any audio left: a mid-stream switch would splice two outputs.
            Step step =
                    run(
                            spec,
                            in.recordingId,
                            stored,
                            stored == null,
                            in.startFrame,
                            (a, s) -> step(a, s, in));
            stepDone(in.channels > 0 ? in.samples.length / in.channels : 0, in.sampleRate);
            long frames =
                    emitAudio(in.recordingId, in.config, step.blocks(), step.framesBefore(), out);
            if (in.last) {
                out.audio(
                        AudioChunk.end(in.recordingId, step.session().outputFormat(), frames)
                                .under(in.config));
                StageResult result = finished(spec, in.recordingId).under(in.config);
                result.info.putAll(step.session().changes());
                out.result(result);
                session.clear();
            } else {
                session.set(StoredSession.live(frames, step.session(), step.plugin()));
            }
        } catch (RuntimeException e) {
            Failure f = fail(spec, out, in.recordingId, e, in.last, null);
            out.audio(
                    AudioChunk.failure(in.recordingId, f.code().code(), stage.name(), f.message())
                            .under(in.config));
            out.result(
                    f.traced(StageResult.failed(in.recordingId, spec, f.code().code(), f.message()))
                            .under(in.config));
            session.clear();
        }
    }
}
