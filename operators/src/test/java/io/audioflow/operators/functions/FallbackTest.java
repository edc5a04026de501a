package io.audioflow.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.api.testing.Feeding;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.testing.FlakyAnalyzer;
import io.audioflow.plugins.metrics.TemporalAnalyzer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code error_handling: fallback} at run time, for each kind of stage operator: the fallback takes
 * a recording over where the stage may hand it over, keeps it to the end (across a checkpoint), and
 * the result says so; when it fails too, the recording fails with both reasons.
 */
class FallbackTest {

    private static final AudioFormat FORMAT = new AudioFormat(16_000, 1);
    private static final float[] TONE = Feeding.sine(FORMAT, 1.0, 440, 0.5);
    private static final ErrorPolicy FALLBACK =
            new ErrorPolicy(ErrorPolicy.Mode.FALLBACK, 1, 0, "fallback");

    @BeforeEach
    void resetFlakyCounter() {
        FlakyAnalyzer.FAILED.set(0);
    }

    private static StageSpec spec(String plugin, StageKind kind, Map<String, Object> config) {
        return StageSpec.of("level", kind, plugin, SemVer.of(1, 0, 0), config, FALLBACK);
    }

    private static StageSpec flakyWithTemporalFallback(long failures, long failAfterSamples) {
        return spec(
                        "flaky",
                        StageKind.ANALYZER,
                        Map.of("failures", failures, "fail_after_samples", failAfterSamples))
                .withFallback(
                        StageSpec.of(
                                "level",
                                StageKind.ANALYZER,
                                "temporal",
                                SemVer.of(1, 0, 0),
                                Map.of("clip_level", 0.99),
                                ErrorPolicy.FAIL));
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> harness(
            OneInputStreamOperator<I, O> operator,
            org.apache.flink.api.java.functions.KeySelector<I, String> key)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> analyzer(
            StageSpec spec) throws Exception {
        return harness(new KeyedProcessOperator<>(new AnalyzerFunction(spec)), c -> c.recordingId);
    }

    private static AudioChunk chunk(int from, int to, boolean last) {
        return AudioChunk.of(
                "r1", new AudioBlock(FORMAT, from, Arrays.copyOfRange(TONE, from, to)), last);
    }

    private static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        var out = h.getSideOutput(StageOutputs.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void anAnalyzerThatFailsOnTheFirstChunkIsReplacedForTheWholeRecording() throws Exception {
        try (var h = analyzer(flakyWithTemporalFallback(100, -1))) {
            h.open();
            h.processElement(chunk(0, 4000, false), 0);
            h.processElement(chunk(4000, TONE.length, true), 0);
            Map<String, Double> direct = Feeding.analyze(new TemporalAnalyzer(), FORMAT, TONE);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.OK);
                                assertThat(r.plugin).isEqualTo("temporal@1.0.0");
                                assertThat(r.metrics.get("rms_dbfs"))
                                        .isCloseTo(direct.get("rms_dbfs"), within(1e-12));
                                assertThat(r.fallback)
                                        .containsEntry("processor", "temporal@1.0.0")
                                        .containsEntry("replaced", "flaky@1.0.0")
                                        .containsEntry("error_code", "stage_failed")
                                        .containsEntry("from_frame", "0")
                                        .containsEntry("message", "transient fault 1");
                            });
            assertThat(deadLetters(h))
                    .as("a recording the fallback saved is no dead letter")
                    .isEmpty();
            assertThat(h.numKeyedStateEntries()).as("nothing left of r1").isZero();
        }
    }

    @Test
    void anAnalyzerFailingMidRecordingIsTakenOverFromThatChunkAcrossACheckpoint() throws Exception {
        StageSpec spec = flakyWithTemporalFallback(0, 4000);
        OperatorSubtaskState snapshot;
        try (var h = analyzer(spec)) {
            h.open();
            h.processElement(chunk(0, 4000, false), 0); // flaky counts these
            h.processElement(chunk(4000, 8000, false), 0); // flaky fails; temporal takes over
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = analyzer(spec)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(chunk(8000, TONE.length, true), 0);
            float[] rest = Arrays.copyOfRange(TONE, 4000, TONE.length);
            Map<String, Double> direct = Feeding.analyze(new TemporalAnalyzer(), FORMAT, rest);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.plugin).isEqualTo("temporal@1.0.0");
                                assertThat(r.fallback)
                                        .containsEntry("from_frame", "4000")
                                        .containsEntry("message", "fails after 4000 samples");
                                // The fallback's numbers cover the frames it saw, no more.
                                assertThat(r.metrics.get("zcr"))
                                        .isCloseTo(direct.get("zcr"), within(1e-12));
                            });
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void whenTheFallbackFailsTooTheRecordingFailsWithBothReasons() throws Exception {
        // vad needs 16 kHz mono; this audio is 8 kHz, so the fallback cannot open.
        AudioFormat eightK = new AudioFormat(8_000, 1);
        StageSpec spec =
                spec(
                                "flaky",
                                StageKind.ANALYZER,
                                Map.of("failures", 100L, "fail_after_samples", -1L))
                        .withFallback(
                                StageSpec.of(
                                        "level",
                                        StageKind.ANALYZER,
                                        "vad",
                                        SemVer.of(1, 1, 0),
                                        Map.of(
                                                "threshold_db", 9.0,
                                                "min_level_db", -55.0,
                                                "floor_rise_db_per_s", 1.5,
                                                "hangover_ms", 240L),
                                        ErrorPolicy.FAIL));
        try (var h = analyzer(spec)) {
            h.open();
            h.processElement(
                    AudioChunk.of("r1", new AudioBlock(eightK, 0, new float[800]), true), 0);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.FAILED);
                                assertThat(r.errorCode).isEqualTo("format_mismatch");
                                assertThat(r.errorMessage)
                                        .startsWith("fallback `vad@1.1.0` failed too: ")
                                        .endsWith("(after `flaky@1.0.0`: transient fault 1)");
                            });
            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(d -> assertThat(d.code).isEqualTo("format_mismatch"));
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, AudioChunk> processor(
            long failAtChunk) throws Exception {
        StageSpec spec =
                spec("broken-processor", StageKind.PROCESSOR, Map.of("fail_at_chunk", failAtChunk))
                        .withFallback(
                                StageSpec.of(
                                        "level",
                                        StageKind.PROCESSOR,
                                        "dc-remove",
                                        SemVer.of(1, 0, 0),
                                        Map.of("cutoff_hz", 5.0),
                                        ErrorPolicy.FAIL));
        return harness(new KeyedProcessOperator<>(new ProcessorFunction(spec)), c -> c.recordingId);
    }

    private static List<StageResult> sideResults(
            KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        return h.getSideOutput(StageOutputs.RESULTS).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aProcessorFailingOnItsFirstChunkIsReplacedBeforeAnyAudioLeaves() throws Exception {
        try (var h = processor(0)) {
            h.open();
            h.processElement(chunk(0, 4000, false), 0);
            h.processElement(chunk(4000, TONE.length, true), 0);
            List<AudioChunk> out = h.extractOutputValues();
            assertThat(out.stream().filter(c -> !c.failed()).mapToInt(c -> c.samples.length).sum())
                    .isEqualTo(TONE.length);
            assertThat(out).last().satisfies(c -> assertThat(c.last).isTrue());
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.OK);
                                assertThat(r.plugin).isEqualTo("dc-remove@1.0.0");
                                assertThat(r.fallback)
                                        .containsEntry("replaced", "broken-processor@1.0.0");
                            });
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void aProcessorThatAlreadyEmittedAudioIsNotSplicedWithItsFallback() throws Exception {
        try (var h = processor(1)) {
            h.open();
            h.processElement(chunk(0, 4000, false), 0);
            h.processElement(chunk(4000, TONE.length, true), 0);
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.FAILED);
                                assertThat(r.errorMessage)
                                        .isEqualTo(
                                                "broken at chunk 1 (fallback `dc-remove@1.0.0` cannot"
                                                        + " take over: the stage already emitted"
                                                        + " audio for this recording)");
                            });
            assertThat(h.extractOutputValues())
                    .last()
                    .satisfies(c -> assertThat(c.failed()).isTrue());
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    /** A 16-bit mono WAV at 16 kHz of the test tone. */
    private static byte[] wav() {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * TONE.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * TONE.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
        b.putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * TONE.length);
        for (float s : TONE) b.putShort((short) Math.round(s * 32767));
        return b.array();
    }

    @Test
    void aDecoderThatCannotReadTheFormatHandsTheRecordingToItsFallback() throws Exception {
        StageSpec spec =
                spec("broken-decoder", StageKind.DECODER, Map.of())
                        .withFallback(
                                StageSpec.of(
                                        "level",
                                        StageKind.DECODER,
                                        "decode",
                                        SemVer.of(1, 0, 0),
                                        Map.of("max_duration_s", 3600L),
                                        ErrorPolicy.FAIL));
        byte[] wav = wav();
        try (var h =
                harness(
                        new KeyedProcessOperator<>(new DecodeFunction(spec)),
                        (EncodedChunk c) -> c.recordingId)) {
            h.open();
            h.processElement(
                    new EncodedChunk("r1", 0, false, "wav", 0, 0, Arrays.copyOfRange(wav, 0, 1000)),
                    0);
            h.processElement(
                    new EncodedChunk(
                            "r1", 1, true, "wav", 0, 0, Arrays.copyOfRange(wav, 1000, wav.length)),
                    0);
            assertThat(h.extractOutputValues().stream().mapToInt(c -> c.samples.length).sum())
                    .isEqualTo(TONE.length);
            assertThat(sideResults(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.plugin).isEqualTo("decode@1.0.0");
                                assertThat(r.info).containsEntry("sample_rate", "16000");
                                assertThat(r.fallback)
                                        .containsEntry("error_code", "unsupported_format")
                                        .containsEntry(
                                                "message", "broken-decoder cannot decode wav");
                            });
            assertThat(deadLetters(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }
}
