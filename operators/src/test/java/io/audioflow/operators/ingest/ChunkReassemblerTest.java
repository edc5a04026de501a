package io.audioflow.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ChunkReassemblerTest {

    private static final ReassemblyLimits LIMITS = new ReassemblyLimits(100, 50, 1_000, 10_000);

    private static KeyedOneInputStreamOperatorTestHarness<String, EncodedChunk, EncodedChunk>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ChunkReassembler(LIMITS)),
                c -> c.recordingId,
                Types.STRING);
    }

    private static EncodedChunk chunk(String id, long seq, boolean last, int bytes) {
        return new EncodedChunk(id, seq, last, "pcm_s16le", 16_000, 1, new byte[bytes]);
    }

    private static List<Long> seqs(
            KeyedOneInputStreamOperatorTestHarness<String, EncodedChunk, EncodedChunk> h) {
        return h.extractOutputValues().stream().map(c -> c.seq).toList();
    }

    private static List<String> deadLetterCodes(
            KeyedOneInputStreamOperatorTestHarness<String, EncodedChunk, EncodedChunk> h) {
        var letters = h.getSideOutput(ChunkReassembler.DEAD_LETTERS);
        return letters == null
                ? List.of()
                : letters.stream()
                        .map(StreamRecord::getValue)
                        .map((DeadLetter d) -> d.code)
                        .toList();
    }

    @Test
    void aRecordingBeyondTheOpenLimitIsRefusedWholeAndTheOthersCarryOn() throws Exception {
        var chunker = new ChunkReassembler(LIMITS.withMaxOpenRecordings(2));
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(chunker),
                        (EncodedChunk c) -> c.recordingId,
                        Types.STRING)) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("b", 0, false, 10), 0);
            h.processElement(chunk("c", 0, false, 10), 0); // no room
            h.processElement(chunk("c", 1, true, 10), 0); // refused with its first chunk
            assertThat(chunker.openRecordings()).isEqualTo(2);
            h.processElement(chunk("a", 1, true, 10), 0); // a ends: room for one
            h.processElement(chunk("d", 0, true, 10), 0);
            assertThat(h.extractOutputValues())
                    .extracting(c -> c.recordingId + c.seq)
                    .containsExactly("a0", "b0", "a1", "d0");
            assertThat(deadLetterCodes(h))
                    .containsExactly("too_many_open_recordings", "too_many_open_recordings");
            assertThat(chunker.openRecordings()).isEqualTo(1);
            // The refusal is forgotten with the tombstone; nothing of c stays in state.
            h.setProcessingTime(LIMITS.tombstoneMs() + 1);
            h.processElement(chunk("c", 0, true, 10), 0);
            assertThat(h.extractOutputValues()).extracting(c -> c.recordingId).contains("c");
        }
    }

    @Test
    void aRecordingPastItsByteLimitEndsIncompleteBeforeTheChunkThatPassesIt() throws Exception {
        ReassemblyLimits limits =
                new ReassemblyLimits(100, 50, 1_000, 10_000).withPerRecording(10, 25, 3600, 50);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ChunkReassembler(limits)),
                        (EncodedChunk c) -> c.recordingId,
                        Types.STRING)) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("a", 3, false, 10), 0); // waits behind the gap
            h.processElement(chunk("a", 1, false, 10), 0);
            h.processElement(chunk("a", 2, false, 10), 0); // 30 bytes: over the limit
            h.processElement(chunk("a", 4, true, 10), 0); // after the cut
            h.processElement(chunk("b", 0, true, 10), 0); // others carry on
            assertThat(h.extractOutputValues())
                    .extracting(
                            c ->
                                    c.recordingId
                                            + c.seq
                                            + (c.incomplete ? "!" + c.incompleteReason : ""))
                    .containsExactly("a0", "a1", "a2!recording_too_large", "b0");
            assertThat(deadLetterCodes(h))
                    .containsExactly(
                            "recording_too_large", "recording_too_large", "recording_too_large");
            // Only the tombstones are left, and they go too.
            h.setProcessingTime(10_001);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aRecordingKeepsTheConfigurationItsFirstChunkArrivedUnder() throws Exception {
        PipelineVersion v2 = PipelineVersion.of(2, "base", "sha2", Map.of());
        PipelineVersion v3 = PipelineVersion.of(3, "base", "sha3", Map.of());
        try (var h = harness()) {
            h.open();
            EncodedChunk first = chunk("a", 1, false, 10); // arrives first, out of order
            first.config = v2;
            h.processElement(first, 0);
            for (long seq : new long[] {0, 2}) {
                EncodedChunk later = chunk("a", seq, seq == 2, 10);
                later.config = v3; // an update came in between
                h.processElement(later, 0);
            }
            EncodedChunk other = chunk("b", 0, true, 10);
            other.config = v3;
            h.processElement(other, 0);
            assertThat(h.extractOutputValues())
                    .extracting(c -> c.recordingId + c.seq + "@" + c.config.version())
                    .containsExactly("a0@2", "a1@2", "a2@2", "b0@3");
        }
    }

    @Test
    void putsChunksBackInOrderAndForgetsTheRecordingAfterItsTombstone() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(chunk("a", 2, false, 10), 0);
            h.processElement(chunk("a", 0, false, 10), 0);
            assertThat(seqs(h)).containsExactly(0L);
            h.processElement(chunk("a", 3, true, 10), 0);
            h.processElement(chunk("a", 1, false, 10), 0);
            assertThat(seqs(h)).containsExactly(0L, 1L, 2L, 3L);
            assertThat(deadLetterCodes(h)).isEmpty();
            assertThat(h.numKeyedStateEntries())
                    .as("only the tombstone: its expiry, the recording's end, its chunks' digests")
                    .isEqualTo(3);
            h.setProcessingTime(10_001);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void dropsProducerRetriesAndSendsConflictingOrLateChunksToTheDeadLetters() throws Exception {
        var chunker = new ChunkReassembler(LIMITS);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(chunker),
                        (EncodedChunk c) -> c.recordingId,
                        Types.STRING)) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("a", 0, false, 10), 0); // producer retry: dropped
            h.processElement(other(chunk("a", 0, false, 10)), 0); // same number, other bytes
            h.processElement(chunk("a", 5, false, 10), 0);
            h.processElement(chunk("a", 5, false, 10), 0); // retry of a waiting chunk: dropped
            h.processElement(other(chunk("a", 5, false, 10)), 0);
            h.processElement(chunk("a", 100, false, 10), 0);
            h.processElement(chunk("a", 1, true, 10), 0); // last, while 5 waits beyond it
            h.processElement(chunk("a", 2, false, 10), 0);
            h.processElement(chunk("a", 1, true, 10), 0); // the whole recording again: dropped
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(other(chunk("a", 0, false, 10)), 0); // conflicts with what was used
            assertThat(seqs(h)).containsExactly(0L, 1L);
            assertThat(deadLetterCodes(h))
                    .containsExactly(
                            "duplicate_seq",
                            "duplicate_seq",
                            "seq_out_of_range",
                            "chunk_after_last",
                            "chunk_after_last",
                            "duplicate_seq");
            assertThat(chunker.duplicateChunks()).isEqualTo(4);
        }
    }

    private static EncodedChunk other(EncodedChunk c) {
        java.util.Arrays.fill(c.data, (byte) 7);
        return c;
    }

    @Test
    void refusesAFormatChangeAndBoundsTheReorderBuffer() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            EncodedChunk stereo = chunk("a", 1, false, 10);
            stereo.channels = 2;
            h.processElement(stereo, 0);
            h.processElement(chunk("a", 3, false, 30), 0);
            h.processElement(chunk("a", 4, false, 30), 0); // 60 bytes would wait: over 50
            assertThat(deadLetterCodes(h)).containsExactly("format_changed", "reorder_buffer_full");
        }
    }

    @Test
    void closesAnIdleRecordingAsIncompleteAndDeadLettersWhatWaitedBehindTheGap() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("a", 2, false, 10), 0);
            h.setProcessingTime(999);
            assertThat(seqs(h)).containsExactly(0L);
            h.setProcessingTime(1_000);
            List<EncodedChunk> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1).last).isTrue();
            assertThat(out.get(1).incomplete).isTrue();
            assertThat(out.get(1).format).isEqualTo("pcm_s16le");
            assertThat(deadLetterCodes(h)).containsExactly("seq_gap");
            h.processElement(chunk("a", 1, false, 10), 0);
            assertThat(deadLetterCodes(h)).containsExactly("seq_gap", "chunk_after_last");
        }
    }

    @Test
    void resumesReorderingFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("a", 2, true, 10), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(chunk("a", 1, false, 10), 0);
            assertThat(seqs(h)).containsExactly(1L, 2L);
            assertThat(h.extractOutputValues().get(1).last).isTrue();
        }
    }

    @Test
    void countsOpenRecordingsAndRecountsThemAfterARestore() throws Exception {
        var operator = new ReassemblyOperator(LIMITS);
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, (EncodedChunk c) -> c.recordingId, Types.STRING)) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("b", 1, false, 10), 0); // waits for chunk 0, still open
            h.processElement(chunk("c", 0, true, 10), 0); // whole in one message
            h.processElement(chunk("a", 1, true, 10), 0);
            assertThat(open(operator)).isEqualTo(1);
            snapshot = h.snapshot(1L, 1L);
        }
        var restored = new ReassemblyOperator(LIMITS);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        restored, (EncodedChunk c) -> c.recordingId, Types.STRING)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(open(restored)).as("b, counted from the restored state").isEqualTo(1);
            h.processElement(chunk("b", 0, true, 10), 0);
            assertThat(open(restored)).isZero();
        }
    }

    private static long open(ReassemblyOperator operator) {
        return ((ChunkReassembler) operator.getUserFunction()).openRecordings();
    }

    @Test
    void whenABoundedInputEndsEveryOpenRecordingIsClosedAsIncomplete() throws Exception {
        var operator = new ReassemblyOperator(LIMITS);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, (EncodedChunk c) -> c.recordingId, Types.STRING)) {
            h.open();
            h.processElement(chunk("a", 0, false, 10), 0);
            h.processElement(chunk("a", 2, false, 10), 0); // waits behind the gap at 1
            h.processElement(chunk("b", 0, true, 10), 0); // complete: nothing to close
            h.endInput();
            List<EncodedChunk> out = h.extractOutputValues();
            assertThat(out)
                    .filteredOn(c -> c.recordingId.equals("a") && c.last)
                    .singleElement()
                    .satisfies(
                            end -> {
                                assertThat(end.incomplete).isTrue();
                                assertThat(end.seq).isEqualTo(1);
                            });
            assertThat(out).filteredOn(c -> c.recordingId.equals("b")).hasSize(1);
            assertThat(deadLetterCodes(h)).containsExactly("seq_gap");
            assertThat(open(operator)).isZero();
        }
    }
}
