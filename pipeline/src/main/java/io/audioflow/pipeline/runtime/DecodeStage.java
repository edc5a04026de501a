package io.audioflow.pipeline.runtime;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioDecoder;
import io.audioflow.api.AudioDecoder.DecoderSession;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.ErrorCode;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.SourceSpan;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.ingest.RejectReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The decode stage: encoded bytes of a recording, in order, to audio chunks. Reports the decoded
 * format and duration as its result when the recording ends.
 */
public final class DecodeStage extends StageRunner<EncodedChunk, AudioDecoder> {

    /** Prefix of the producer's metadata in the decoder's summary, on its way to the result. */
    public static final String META = "meta.";

    private final long maxRecordingSeconds;
    private final Slot<StoredSession> session;

    /** Set once {@code limits.max_recording_seconds} ended the recording, until its last chunk. */
    private final Slot<Boolean> cut;

    public DecodeStage(
            StageSpec stage,
            long maxRecordingSeconds,
            StageServices services,
            RecordingSlots slots) {
        super(stage, AudioDecoder.class, services, slots);
        this.maxRecordingSeconds = maxRecordingSeconds;
        session = slots.session("decoder-state", "decoder-session");
        cut = slots.flag("cut");
    }

    /**
     * The plugin that decoded this piece, its session after it, the blocks it decoded, and the
     * frames decoded before it.
     */
    private record Step(
            AudioDecoder plugin,
            DecoderSession session,
            List<AudioBlock> blocks,
            long framesBefore) {}

    private static Step step(
            Active<AudioDecoder> active, StoredSession stored, EncodingHint hint, EncodedChunk in) {
        AudioDecoder plugin = active.plugin();
        StageSpec spec = active.spec();
        List<AudioBlock> blocks = new ArrayList<>();
        long frames = 0;
        DecoderSession s;
        if (stored == null) {
            s = plugin.open(hint, spec.context());
        } else {
            frames = stored.frames();
            s =
                    stored.resume(
                            plugin,
                            DecoderSession.class,
                            bytes -> plugin.restore(hint, spec.context(), bytes));
        }
        s.feed(in.data, blocks::add);
        if (in.last) s.finish(blocks::add);
        return new Step(plugin, s, blocks, frames);
    }

    @Override
    public void process(EncodedChunk in, StageOutput out) throws InterruptedException {
        if (Boolean.TRUE.equals(cut.get())) {
            if (in.data.length > 0) {
                RejectReason tooLong = RejectReason.RECORDING_TOO_LONG;
                out.deadLetter(
                        DeadLetter.of(
                                in,
                                stage.name(),
                                tooLong.code(),
                                tooLong.meaning() + ": chunk " + in.seq + " came after it"));
            }
            if (in.last) cut.clear();
            return;
        }
        if (skipAfterFailure(in.last)) {
            // The recording already failed here: its later messages are kept, not dropped.
            if (in.data.length > 0)
                out.deadLetter(
                        DeadLetter.of(
                                in,
                                stage.name(),
                                ErrorCode.UPSTREAM_FAILED.code(),
                                "an earlier chunk of this recording failed to decode"));
            return;
        }
        EncodingHint hint = new EncodingHint(in.format, in.sampleRate, in.channels);
        StageSpec spec = specFor(in.config);
        try {
            StoredSession stored = session.get();
            // A fallback decoder must see the recording's first bytes, so it takes over only there.
            Step step =
                    run(
                            spec,
                            in.recordingId,
                            stored,
                            stored == null,
                            0,
                            (a, s) -> step(a, s, hint, in));
            long frames =
                    emitAudio(in.recordingId, in.config, step.blocks(), step.framesBefore(), out);
            AudioFormat decoded = step.session().format(); // null until the header is complete
            stepDone(frames - step.framesBefore(), decoded == null ? 0 : decoded.sampleRate());
            boolean tooLong =
                    !in.last
                            && decoded != null
                            && frames >= maxRecordingSeconds * decoded.sampleRate();
            if (in.last || tooLong) {
                out.audio(
                        AudioChunk.end(in.recordingId, step.session().format(), frames)
                                .under(in.config));
                String incomplete =
                        tooLong
                                ? RejectReason.RECORDING_TOO_LONG.code()
                                : in.incomplete
                                        ? Objects.requireNonNullElse(
                                                in.incompleteReason, "idle_timeout")
                                        : null;
                out.result(summary(spec, in, step.session(), frames, incomplete));
                session.clear();
                if (tooLong) cut.set(true);
            } else {
                session.set(StoredSession.live(frames, step.session(), step.plugin()));
            }
        } catch (RuntimeException e) {
            Failure f =
                    fail(
                            spec,
                            out,
                            in.recordingId,
                            e,
                            in.last,
                            DeadLetter.of(in, stage.name(), null, null));
            out.audio(
                    AudioChunk.failure(in.recordingId, f.code().code(), stage.name(), f.message())
                            .under(in.config));
            StageResult failed =
                    f.traced(StageResult.failed(in.recordingId, spec, f.code().code(), f.message()))
                            .under(in.config);
            // The result leaves now: its latency counts from the chunk that failed.
            if (in.timestamp >= 0)
                failed.info.put("source.timestamp_last", String.valueOf(in.timestamp));
            out.result(failed);
            session.clear();
        }
    }

    /**
     * @param incomplete why the recording ended before its last chunk; null when it did not
     */
    private StageResult summary(
            StageSpec spec, EncodedChunk last, DecoderSession s, long frames, String incomplete) {
        StageResult r = finished(spec, last.recordingId).under(last.config);
        r.info.put("complete", String.valueOf(incomplete == null));
        if (incomplete != null) r.info.put("incomplete_reason", incomplete);
        r.info.put("sample_rate", String.valueOf(s.format().sampleRate()));
        r.info.put("channels", String.valueOf(s.format().channels()));
        r.info.put("frames", String.valueOf(frames));
        SourceSpan span = last.span;
        if (span != null) {
            r.info.put("chunks", String.valueOf(span.chunks));
            if (span.firstOffset >= 0) {
                r.info.put("source.topic", span.topic);
                r.info.put("source.partition", String.valueOf(span.partition));
                r.info.put("source.offset_first", String.valueOf(span.firstOffset));
                r.info.put("source.offset_last", String.valueOf(span.lastOffset));
                if (span.lastTimestamp >= 0) {
                    r.info.put("source.timestamp_first", String.valueOf(span.firstTimestamp));
                    r.info.put("source.timestamp_last", String.valueOf(span.lastTimestamp));
                }
            }
            span.metadata.forEach((k, v) -> r.info.put(META + k, v));
        }
        return r;
    }
}
