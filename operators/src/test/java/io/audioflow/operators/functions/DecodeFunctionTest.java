package io.audioflow.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DecodeFunctionTest {

    private static final StageSpec DECODE =
            StageSpec.of(
                    "decode",
                    StageKind.DECODER,
                    "decode",
                    SemVer.of(1, 0, 0),
                    Map.of("max_duration_s", 3600L),
                    ErrorPolicy.FAIL);

    private static KeyedOneInputStreamOperatorTestHarness<String, EncodedChunk, AudioChunk>
            harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DecodeFunction(DECODE)),
                c -> c.recordingId,
                Types.STRING);
    }

    /** A 16-bit mono WAV at 8 kHz holding samples 0, 1, 2, …, n-1 (scaled). */
    private static byte[] wav(int n) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
        b.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(8000)
                .putInt(16000)
                .putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) b.putShort((short) (i * 10));
        return b.array();
    }

    private static EncodedChunk piece(byte[] all, int from, int to, long seq, boolean last) {
        return new EncodedChunk("rec", seq, last, "wav", 0, 0, Arrays.copyOfRange(all, from, to));
    }

    private static List<StageResult> sideResults(
            KeyedOneInputStreamOperatorTestHarness<String, EncodedChunk, AudioChunk> h) {
        return h.getSideOutput(StageOutputs.RESULTS).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void decodesAcrossPiecesAndReportsTheFormatAtTheEnd() throws Exception {
        byte[] wav = wav(1000);
        try (var h = harness()) {
            h.open();
            h.processElement(piece(wav, 0, 30, 0, false), 0); // inside the header
            h.processElement(piece(wav, 30, 1001, 1, false), 0); // ends mid-sample
            h.processElement(piece(wav, 1001, wav.length, 2, true), 0);
            List<AudioChunk> out = h.extractOutputValues();
            assertThat(out)
                    .last()
                    .satisfies(
                            c -> {
                                assertThat(c.last).isTrue();
                                assertThat(c.startFrame).isEqualTo(1000);
                            });
            assertThat(out.stream().mapToInt(c -> c.samples.length).sum()).isEqualTo(1000);
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.OK);
                                assertThat(r.info)
                                        .containsEntry("sample_rate", "8000")
                                        .containsEntry("channels", "1")
                                        .containsEntry("frames", "1000");
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aCorruptRecordingEmitsAFailureMarkerAndIgnoresItsLaterPieces() throws Exception {
        byte[] garbage = "definitely not a wave file".getBytes();
        try (var h = harness()) {
            h.open();
            h.processElement(new EncodedChunk("rec", 0, false, "wav", 0, 0, garbage), 0);
            h.processElement(new EncodedChunk("rec", 1, false, "wav", 0, 0, garbage), 0);
            h.processElement(new EncodedChunk("rec", 2, true, "wav", 0, 0, garbage), 0);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            c -> {
                                assertThat(c.failed()).isTrue();
                                assertThat(c.errorCode).isEqualTo("malformed_audio");
                                assertThat(c.errorStage).isEqualTo("decode");
                            });
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(r -> assertThat(r.errorCode).isEqualTo("malformed_audio"));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void resumesDecodingFromASnapshotTakenMidHeader() throws Exception {
        byte[] wav = wav(200);
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(piece(wav, 0, 17, 0, false), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(piece(wav, 17, wav.length, 1, true), 0);
            assertThat(h.extractOutputValues().stream().mapToInt(c -> c.samples.length).sum())
                    .isEqualTo(200);
            assertThat(h.extractOutputValues().get(0).samples[199]).isEqualTo(1990 / 32768f);
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void aRecordingClosedByTheIdleTimeoutIsReportedIncomplete() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(
                    new EncodedChunk("rec", 0, false, "pcm_s16le", 8000, 1, new byte[400]), 0);
            EncodedChunk end = new EncodedChunk("rec", 1, true, "pcm_s16le", 8000, 1, new byte[0]);
            end.incomplete = true;
            h.processElement(end, 0);
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.OK);
                                assertThat(r.info)
                                        .containsEntry("complete", "false")
                                        .containsEntry("frames", "200");
                            });
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void aRecordingPastItsDurationLimitEndsThereWithAnIncompleteResult() throws Exception {
        // 2 s allowed at 8 kHz: the third 1 s chunk is never analysed.
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DecodeFunction(DECODE, 2)),
                        (EncodedChunk c) -> c.recordingId,
                        Types.STRING)) {
            h.open();
            for (int seq = 0; seq < 4; seq++)
                h.processElement(
                        new EncodedChunk(
                                "rec", seq, seq == 3, "pcm_s16le", 8000, 1, new byte[16_000]),
                        0);
            List<AudioChunk> out = h.extractOutputValues();
            assertThat(out.stream().mapToInt(c -> c.samples.length).sum()).isEqualTo(16_000);
            assertThat(out).last().satisfies(c -> assertThat(c.last).isTrue());
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.info)
                                            .containsEntry("complete", "false")
                                            .containsEntry(
                                                    "incomplete_reason", "recording_too_long")
                                            .containsEntry("frames", "16000"));
            assertThat(h.getSideOutput(StageOutputs.DEAD_LETTERS))
                    .extracting(d -> d.getValue().code + ": " + d.getValue().message)
                    .hasSize(2)
                    .allSatisfy(m -> assertThat(m).startsWith("recording_too_long: "))
                    .anySatisfy(m -> assertThat(m).endsWith("chunk 2 came after it"));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aFailureThatIsNotTheRecordingsFailsTheTaskAndSaysWhere() throws Exception {
        // A configuration version whose changed stages cannot be read: no recording's fault.
        EncodedChunk chunk = piece(wav(10), 0, 64, 3, false);
        chunk.config = new PipelineVersion(7, "base", "sha", new byte[] {1, 2, 3});
        chunk.topic = "audio.chunks";
        chunk.partition = 1;
        chunk.offset = 42;
        try (var h = harness()) {
            h.open();
            assertThatThrownBy(() -> h.processElement(chunk, 0))
                    .isInstanceOf(StageOperatorException.class)
                    .hasMessageContaining("unreadable pipeline version 7")
                    .extracting(e -> ((StageOperatorException) e).where())
                    .isEqualTo(
                            "stage `decode` [decode@1.0.0] on recording `rec`, chunk 3"
                                    + " (audio.chunks partition 1 offset 42)");
        }
    }
}
