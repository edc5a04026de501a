package io.audioflow.operators.ingest;

import io.audioflow.operators.functions.StageOperatorException;
import io.audioflow.operators.functions.StageOutputs;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.SourceSpan;
import io.audioflow.pipeline.ingest.ChunkParser;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.ingest.RejectReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Puts a recording's chunks back in order by {@code audio.seq} before decoding. A chunk that comes
 * again with the same bytes (a producer's retry, during the recording or while its tombstone lasts)
 * is counted ({@code duplicateChunks}) and dropped; the same number with other bytes, chunks after
 * the last one, out-of-range numbers and format changes go to the dead-letter output; a recording
 * that stops arriving is closed as incomplete after the idle timeout, so state never waits forever.
 * Afterwards a small tombstone remembers the recording for a while to reject late chunks, then goes
 * too.
 */
public class ChunkReassembler extends KeyedProcessFunction<String, EncodedChunk, EncodedChunk> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = StageOutputs.DEAD_LETTERS;

    /** Set from a recording's first chunk until it ends: the recordings open here. */
    static final String SHAPE_STATE = "shape";

    private final ReassemblyLimits limits;
    private transient ValueState<Long> nextSeq;
    private transient MapState<Long, EncodedChunk> waiting;
    private transient ValueState<Long> waitingBytes;
    private transient ValueState<String> shape; // format|rate|channels of the first chunk
    private transient ValueState<Long> idleTimer;
    private transient ValueState<Long> closedUntil; // tombstone expiry, set once the recording ends
    private transient ValueState<SourceSpan> span;

    /**
     * Set with the tombstone when a limit ended the recording: its later chunks carry this code.
     */
    private transient ValueState<String> cutBy;

    /** Set with the tombstone: the chunk number after the recording's last accepted chunk. */
    private transient ValueState<Long> endedAt;

    /** The latest chunks' digests, to tell a producer's retry from conflicting data. */
    private transient ValueState<long[]> digests;

    private transient Counter duplicateChunks;

    /** The configuration the recording's first chunk arrived under; absent for the submitted. */
    private transient ValueState<PipelineVersion> config;

    private transient volatile long openRecordings;

    public ChunkReassembler(ReassemblyLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("next-seq", Types.LONG));
        waiting =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "waiting",
                                        Types.LONG,
                                        TypeInformation.of(EncodedChunk.class)));
        waitingBytes =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("waiting-bytes", Types.LONG));
        shape = getRuntimeContext().getState(new ValueStateDescriptor<>(SHAPE_STATE, Types.STRING));
        idleTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("idle-timer", Types.LONG));
        closedUntil =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("closed-until", Types.LONG));
        span =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "span", TypeInformation.of(SourceSpan.class)));
        cutBy = getRuntimeContext().getState(new ValueStateDescriptor<>("cut-by", Types.STRING));
        endedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("ended-at", Types.LONG));
        digests =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "chunk-digests",
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        config =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "config-version",
                                        TypeInformation.of(PipelineVersion.class)));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("audioflow");
        metrics.gauge("openRecordings", (Gauge<Long>) () -> openRecordings);
        duplicateChunks = metrics.counter("duplicateChunks");
    }

    /** Recordings that were open in the state this subtask restored; see ReassemblyOperator. */
    void restoredOpenRecordings(long count) {
        openRecordings = count;
    }

    long openRecordings() {
        return openRecordings;
    }

    long duplicateChunks() {
        return duplicateChunks.getCount();
    }

    @Override
    public void processElement(EncodedChunk in, Context ctx, Collector<EncodedChunk> out)
            throws Exception {
        try {
            reassemble(in, ctx, out);
        } catch (RuntimeException e) {
            // Bad input never gets here (it becomes a dead letter): what does fails the task.
            throw StageOperatorException.at("`reassemble chunks`", ctx.getCurrentKey(), in, e);
        }
    }

    private void reassemble(EncodedChunk in, Context ctx, Collector<EncodedChunk> out)
            throws Exception {
        if (closedUntil.value() != null) {
            long end = Objects.requireNonNullElse(endedAt.value(), 0L);
            if (in.seq < end && isRetry(in)) {
                duplicateChunks.inc();
                return;
            }
            String cut = cutBy.value();
            RejectReason reason =
                    cut != null
                            ? RejectReason.valueOf(cut)
                            : in.seq < end
                                    ? RejectReason.DUPLICATE_SEQ
                                    : RejectReason.CHUNK_AFTER_LAST;
            reject(
                    deadLetters(ctx),
                    in,
                    reason,
                    end == 0
                            ? "chunk " + in.seq + " of a recording refused at its first chunk"
                            : "chunk "
                                    + in.seq
                                    + " arrived after the recording ended with chunk "
                                    + (end - 1));
            return;
        }
        long next = Objects.requireNonNullElse(nextSeq.value(), 0L);
        if (in.seq < next || waiting.contains(in.seq)) {
            EncodedChunk held = in.seq < next ? null : waiting.get(in.seq);
            if (held != null ? Arrays.equals(held.data, in.data) : isRetry(in)) {
                duplicateChunks.inc();
                return;
            }
            reject(
                    deadLetters(ctx),
                    in,
                    RejectReason.DUPLICATE_SEQ,
                    "chunk " + in.seq + " was already received, with other bytes");
            return;
        }
        if (in.seq >= limits.maxChunks()) {
            reject(
                    deadLetters(ctx),
                    in,
                    RejectReason.SEQ_OUT_OF_RANGE,
                    "chunk " + in.seq + ", limit " + limits.maxChunks());
            return;
        }
        String inShape = in.format + "|" + in.sampleRate + "|" + in.channels;
        if (shape.value() == null) {
            if (openRecordings >= limits.maxOpenRecordings()) {
                reject(
                        deadLetters(ctx),
                        in,
                        RejectReason.TOO_MANY_OPEN_RECORDINGS,
                        openRecordings + " open, limit " + limits.maxOpenRecordings());
                // A tombstone like a finished recording's, ended before chunk 0 by this limit:
                // its later chunks are refused too, rather than opening it part-way through.
                long expiry = ctx.timerService().currentProcessingTime() + limits.tombstoneMs();
                closedUntil.update(expiry);
                endedAt.update(0L);
                cutBy.update(RejectReason.TOO_MANY_OPEN_RECORDINGS.name());
                ctx.timerService().registerProcessingTimeTimer(expiry);
                return;
            }
            shape.update(inShape);
            // A recording finishes under the configuration it started with, whatever changes later.
            if (in.config != null) config.update(in.config);
            openRecordings++;
        } else if (!shape.value().equals(inShape)) {
            reject(
                    deadLetters(ctx),
                    in,
                    RejectReason.FORMAT_CHANGED,
                    "first chunk "
                            + shape.value().replace('|', '/')
                            + ", this one "
                            + inShape.replace('|', '/'));
            return;
        }
        if (in.seq == next) {
            emitInOrder(in, ctx, out);
        } else {
            long bytes = Objects.requireNonNullElse(waitingBytes.value(), 0L) + in.data.length;
            if (bytes > limits.maxBufferedBytes()) {
                reject(
                        deadLetters(ctx),
                        in,
                        RejectReason.REORDER_BUFFER_FULL,
                        bytes
                                + " bytes would wait for chunk "
                                + next
                                + ", limit "
                                + limits.maxBufferedBytes());
                // Open recordings always have an idle timer, so even this one ends.
                if (idleTimer.value() == null) resetIdleTimer(ctx);
                return;
            }
            waiting.put(in.seq, in);
            waitingBytes.update(bytes);
        }
        if (closedUntil.value() == null) resetIdleTimer(ctx);
    }

    private void emitInOrder(EncodedChunk first, Context ctx, Collector<EncodedChunk> out)
            throws Exception {
        EncodedChunk chunk = first;
        long next = first.seq;
        SourceSpan emitted = Objects.requireNonNullElseGet(span.value(), SourceSpan::new);
        PipelineVersion pinned = config.value();
        long[] ring = digests.value();
        while (chunk != null) {
            if (emitted.bytes + chunk.data.length > limits.maxRecordingBytes()) {
                nextSeq.update(next);
                span.update(emitted);
                digests.update(ring);
                cutAtSize(chunk, emitted, ctx, out);
                return;
            }
            ring = ChunkDigests.remember(ring, chunk.seq, ChunkDigests.digest(chunk.data));
            next++;
            chunk.config = pinned;
            emitted.add(chunk);
            if (chunk.last) {
                chunk.span = emitted;
                out.collect(chunk);
                digests.update(ring);
                close(ctx, next);
                return;
            }
            out.collect(chunk);
            chunk = waiting.get(next);
            if (chunk != null) {
                waiting.remove(next);
                waitingBytes.update(waitingBytes.value() - chunk.data.length);
            }
        }
        nextSeq.update(next);
        span.update(emitted);
        digests.update(ring);
    }

    /**
     * The same bytes as the chunk of that number had: a producer's retry. A chunk older than the
     * digests' window cannot be checked and counts as one too: its number is taken either way.
     */
    private boolean isRetry(EncodedChunk in) throws Exception {
        Long known = ChunkDigests.recalled(digests.value(), in.seq);
        return known == null || known == ChunkDigests.digest(in.data);
    }

    /**
     * The recording would pass {@code limits.max_recording_bytes} with this chunk: it ends before
     * it, as incomplete, and this chunk and every later one go to the dead letters.
     */
    private void cutAtSize(
            EncodedChunk over, SourceSpan emitted, Context ctx, Collector<EncodedChunk> out)
            throws Exception {
        RejectReason reason = RejectReason.RECORDING_TOO_LARGE;
        reject(
                deadLetters(ctx),
                over,
                reason,
                (emitted.bytes + over.data.length)
                        + " bytes with chunk "
                        + over.seq
                        + ", limit "
                        + limits.maxRecordingBytes());
        closeIncomplete(
                ctx.getCurrentKey(),
                deadLetters(ctx),
                out::collect,
                reason.code(),
                reason,
                "the recording had passed its byte limit");
        close(ctx, over.seq);
        cutBy.update(reason.name());
    }

    /**
     * The recording is over: what still waits lies beyond the last chunk.
     *
     * @param end the chunk number after its last accepted chunk
     */
    private void close(Context ctx, long end) throws Exception {
        List<EncodedChunk> beyond = new ArrayList<>();
        for (EncodedChunk c : waiting.values()) beyond.add(c);
        for (EncodedChunk c : beyond)
            reject(
                    deadLetters(ctx),
                    c,
                    RejectReason.CHUNK_AFTER_LAST,
                    "chunk " + c.seq + " lies beyond the last chunk");
        clearRecording(ctx);
        long expiry = ctx.timerService().currentProcessingTime() + limits.tombstoneMs();
        closedUntil.update(expiry);
        endedAt.update(end);
        ctx.timerService().registerProcessingTimeTimer(expiry);
    }

    private void clearRecording(Context ctx) throws Exception {
        Long timer = idleTimer.value();
        if (timer != null) ctx.timerService().deleteProcessingTimeTimer(timer);
        clearState();
    }

    private void clearState() throws Exception {
        idleTimer.clear();
        waiting.clear();
        waitingBytes.clear();
        nextSeq.clear();
        if (shape.value() != null) openRecordings--;
        shape.clear();
        span.clear();
        config.clear();
    }

    /** The tombstone expired: nothing of the recording stays. */
    private void forget() {
        closedUntil.clear();
        cutBy.clear();
        endedAt.clear();
        digests.clear();
    }

    private void resetIdleTimer(Context ctx) throws Exception {
        Long old = idleTimer.value();
        if (old != null) ctx.timerService().deleteProcessingTimeTimer(old);
        long at = ctx.timerService().currentProcessingTime() + limits.idleTimeoutMs();
        ctx.timerService().registerProcessingTimeTimer(at);
        idleTimer.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EncodedChunk> out)
            throws Exception {
        Long expiry = closedUntil.value();
        if (expiry != null) {
            if (timestamp >= expiry) forget();
            return;
        }
        if (!Objects.equals(idleTimer.value(), timestamp)) return;
        idleTimer.clear();
        long next = Objects.requireNonNullElse(nextSeq.value(), 0L);
        closeIncomplete(
                ctx.getCurrentKey(),
                deadLetters(ctx),
                out::collect,
                "idle_timeout",
                RejectReason.SEQ_GAP,
                "chunk " + next + " never arrived");
        close(ctx, next);
    }

    /**
     * The input ended (a bounded run) with this recording still open: it is closed as incomplete,
     * as the idle timeout would have, so that it still gets its result.
     */
    void endOfInput(String key, Consumer<DeadLetter> deadLetters, Consumer<EncodedChunk> out)
            throws Exception {
        if (shape.value() == null) return;
        long next = Objects.requireNonNullElse(nextSeq.value(), 0L);
        closeIncomplete(
                key,
                deadLetters,
                out,
                "end_of_input",
                RejectReason.SEQ_GAP,
                "chunk " + next + " never arrived");
        clearState();
        digests.clear();
    }

    /**
     * The recording ends here, before its last chunk: whatever waits cannot be decoded in order and
     * goes to the dead letters as {@code stranded}.
     *
     * @param why the result's {@code incomplete_reason}
     */
    private void closeIncomplete(
            String key,
            Consumer<DeadLetter> deadLetters,
            Consumer<EncodedChunk> out,
            String why,
            RejectReason stranded,
            String strandedDetail)
            throws Exception {
        long next = Objects.requireNonNullElse(nextSeq.value(), 0L);
        List<EncodedChunk> waited = new ArrayList<>();
        for (EncodedChunk c : waiting.values()) waited.add(c);
        for (EncodedChunk c : waited) reject(deadLetters, c, stranded, strandedDetail);
        waiting.clear();
        EncodedChunk end =
                new EncodedChunk(
                        key,
                        next,
                        true,
                        formatOf(shape.value()),
                        rateOf(shape.value()),
                        channelsOf(shape.value()),
                        new byte[0]);
        end.incomplete = true;
        end.incompleteReason = why;
        end.config = config.value();
        end.span = span.value();
        // The last thing heard of the recording, for its end-to-end latency.
        end.timestamp = end.span != null ? end.span.lastTimestamp : -1;
        for (EncodedChunk c : waited) end.timestamp = Math.max(end.timestamp, c.timestamp);
        out.accept(end);
    }

    private static String formatOf(String shape) {
        return shape == null ? "" : shape.split("\\|")[0];
    }

    private static int rateOf(String shape) {
        return shape == null ? 0 : Integer.parseInt(shape.split("\\|")[1]);
    }

    private static int channelsOf(String shape) {
        return shape == null ? 0 : Integer.parseInt(shape.split("\\|")[2]);
    }

    private static void reject(
            Consumer<DeadLetter> deadLetters,
            EncodedChunk chunk,
            RejectReason reason,
            String detail) {
        deadLetters.accept(
                DeadLetter.of(
                        chunk, ChunkParser.STAGE, reason.code(), reason.meaning() + ": " + detail));
    }

    private static Consumer<DeadLetter> deadLetters(Context ctx) {
        return d -> ctx.output(DEAD_LETTERS, d);
    }
}
