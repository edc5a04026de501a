package io.audioflow.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.FrameTrack;
import io.audioflow.api.StageKind;
import io.audioflow.api.testing.Feeding;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.plugins.metrics.TemporalAnalyzer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AnalyzerFunctionTest {

    private static final AudioFormat FORMAT = new AudioFormat(16_000, 1);
    private static final float[] TONE = Feeding.sine(FORMAT, 1.0, 440, 0.5);

    private static StageSpec temporal(ErrorPolicy policy) {
        return StageSpec.of(
                "temporal",
                StageKind.ANALYZER,
                "temporal",
                io.audioflow.api.SemVer.of(1, 0, 0),
                Map.of("clip_level", 0.99),
                policy);
    }

    private static StageSpec vad(ErrorPolicy policy) {
        return StageSpec.of(
                "vad",
                StageKind.ANALYZER,
                "vad",
                io.audioflow.api.SemVer.of(1, 1, 0),
                Map.of(
                        "threshold_db",
                        9.0,
                        "min_level_db",
                        -55.0,
                        "floor_rise_db_per_s",
                        1.5,
                        "hangover_ms",
                        240L),
                policy);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> harness(
            StageSpec spec) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AnalyzerFunction(spec)),
                c -> c.recordingId,
                Types.STRING);
    }

    private static AudioChunk chunk(
            String id, AudioFormat format, float[] samples, int from, int to, boolean last) {
        return AudioChunk.of(
                id,
                new AudioBlock(
                        format, from / format.channels(), Arrays.copyOfRange(samples, from, to)),
                last);
    }

    private static List<StageResult> results(
            KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> h) {
        return h.extractOutputValues();
    }

    @Test
    void anAnalyzerWithProductsPassesItsAudioOnWithTheFramesEachChunkCompleted() throws Exception {
        AudioFormat mono16k = new AudioFormat(16_000, 1);
        float[] x = new float[2000];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.1) * 0.3f;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AnalyzerFunction(vad(ErrorPolicy.FAIL), false, true)),
                        (AudioChunk c) -> c.recordingId,
                        Types.STRING)) {
            h.open();
            h.processElement(chunk("r1", mono16k, x, 0, 1000, false), 0);
            h.processElement(chunk("r1", mono16k, x, 1000, 2000, true), 0);
            List<AudioChunk> passed =
                    h.getSideOutput(StageOutputs.AUDIO).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(passed).hasSize(2);
            assertThat(passed.get(0).samples).isEqualTo(Arrays.copyOfRange(x, 0, 1000));
            // 30 ms frames of 480 samples: 2 complete in the first 1000 samples, 2 more by 2000.
            FrameTrack first = passed.get(0).block().track("vad.speech").orElseThrow();
            FrameTrack second = passed.get(1).block().track("vad.speech").orElseThrow();
            assertThat(first.firstFrame()).isZero();
            assertThat(first.values()).hasSize(2);
            assertThat(second.firstFrame()).isEqualTo(2);
            assertThat(second.values()).hasSize(2);
            assertThat(passed.get(1).last).isTrue();
            assertThat(results(h)).hasSize(1);
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void emitsOneResultAtTheEndOfARecordingAndClearsItsState() throws Exception {
        try (var h = harness(temporal(ErrorPolicy.FAIL))) {
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 0, 5000, false), 0);
            h.processElement(chunk("r1", FORMAT, TONE, 5000, 12_000, false), 0);
            assertThat(results(h)).isEmpty();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processElement(chunk("r1", FORMAT, TONE, 12_000, TONE.length, false), 0);
            h.processElement(new StreamRecord<>(AudioChunk.end("r1", FORMAT, TONE.length)));
            assertThat(results(h)).hasSize(1);
            StageResult r = results(h).get(0);
            assertThat(r.status).isEqualTo(StageResult.OK);
            assertThat(r.plugin).isEqualTo("temporal@1.0.0");
            Map<String, Double> direct = Feeding.analyze(new TemporalAnalyzer(), FORMAT, TONE);
            assertThat(r.metrics.get("rms_dbfs")).isCloseTo(direct.get("rms_dbfs"), within(1e-9));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void resumesARecordingFromASnapshotWithTheSameResult() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(temporal(ErrorPolicy.FAIL))) {
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 0, 7000, false), 0);
            h.processElement(chunk("r2", FORMAT, TONE, 0, 100, false), 0);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(temporal(ErrorPolicy.FAIL))) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 7000, TONE.length, true), 0);
            assertThat(results(h)).hasSize(1);
            Map<String, Double> direct = Feeding.analyze(new TemporalAnalyzer(), FORMAT, TONE);
            assertThat(results(h).get(0).metrics.get("zcr"))
                    .isCloseTo(direct.get("zcr"), within(1e-12));
            assertThat(h.numKeyedStateEntries()).as("r2 is still open").isEqualTo(1);
        }
    }

    @Test
    void anUpstreamFailureBecomesAFailedResultAndLeavesNoState() throws Exception {
        try (var h = harness(temporal(ErrorPolicy.FAIL))) {
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 0, 100, false), 0);
            h.processElement(
                    new StreamRecord<>(
                            AudioChunk.failure("r1", "malformed_audio", "decode", "bad")));
            assertThat(results(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.FAILED);
                                assertThat(r.errorCode).isEqualTo("upstream_failed");
                                assertThat(r.errorMessage).contains("`decode`");
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aWrongInputFormatFailsTheRecordingNotTheJobAndTheRestIsDropped() throws Exception {
        AudioFormat cd = new AudioFormat(44_100, 2);
        float[] stereo = Feeding.sine(cd, 0.1, 440, 0.5);
        try (var h = harness(vad(ErrorPolicy.FAIL))) {
            h.open();
            h.processElement(chunk("r1", cd, stereo, 0, 2000, false), 0);
            h.processElement(chunk("r1", cd, stereo, 2000, 4000, false), 0);
            h.processElement(chunk("r1", cd, stereo, 4000, stereo.length, true), 0);
            assertThat(results(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.FAILED);
                                assertThat(r.errorCode).isEqualTo("format_mismatch");
                            });
            assertThat(h.numKeyedStateEntries()).as("tombstone cleared by the last chunk").isZero();
        }
    }

    @Test
    void theSkipPolicyReportsTheStageAsSkipped() throws Exception {
        AudioFormat cd = new AudioFormat(44_100, 1);
        try (var h = harness(vad(new ErrorPolicy(ErrorPolicy.Mode.SKIP, 1, 0, null)))) {
            h.open();
            h.processElement(chunk("r1", cd, Feeding.sine(cd, 0.1, 440, 0.5), 0, 4410, true), 0);
            assertThat(results(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.SKIPPED);
                                assertThat(r.errorMessage).startsWith("format_mismatch");
                            });
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    private static StageSpec flaky(int failures, ErrorPolicy policy) {
        return StageSpec.of(
                "flaky",
                StageKind.ANALYZER,
                "flaky",
                io.audioflow.api.SemVer.of(1, 0, 0),
                Map.of("failures", (long) failures),
                policy);
    }

    @Test
    void theRetryPolicyRunsAFailedStepAgainFromTheLastGoodState() throws Exception {
        io.audioflow.operators.testing.FlakyAnalyzer.FAILED.set(0);
        try (var h = harness(flaky(2, new ErrorPolicy(ErrorPolicy.Mode.RETRY, 3, 1, null)))) {
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 0, 1000, false), 0);
            h.processElement(chunk("r1", FORMAT, TONE, 1000, 3000, true), 0);
            assertThat(results(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.OK);
                                // Every sample counted once: the retried step did not double-count.
                                assertThat(r.metrics.get("samples")).isEqualTo(3000.0);
                            });
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void retriesRunOutAndTheRecordingFails() throws Exception {
        io.audioflow.operators.testing.FlakyAnalyzer.FAILED.set(0);
        try (var h = harness(flaky(5, new ErrorPolicy(ErrorPolicy.Mode.RETRY, 3, 10, null)))) {
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 0, 1000, true), 0);
            assertThat(results(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.FAILED);
                                // The trace of the retries: three runs, 10 + 20 ms waited.
                                assertThat(r.errorMessage)
                                        .isEqualTo(
                                                "transient fault 3 (after 3 attempts, 30 ms of"
                                                        + " backoff)");
                                assertThat(r.attempts).isEqualTo(3);
                                assertThat(r.backoffMillis).isEqualTo(30);
                            });
            assertThat(
                            h.getSideOutput(StageOutputs.DEAD_LETTERS).stream()
                                    .map(d -> d.getValue().attempts))
                    .containsExactly(3);
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }

    @Test
    void withoutRetryTheFirstFailureFailsTheRecording() throws Exception {
        io.audioflow.operators.testing.FlakyAnalyzer.FAILED.set(0);
        try (var h = harness(flaky(1, ErrorPolicy.FAIL))) {
            h.open();
            h.processElement(chunk("r1", FORMAT, TONE, 0, 1000, true), 0);
            assertThat(results(h))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.status).isEqualTo(StageResult.FAILED);
                                assertThat(r.attempts).isEqualTo(1);
                                assertThat(r.errorMessage).doesNotContain("attempts");
                            });
            assertThat(h.numKeyedStateEntries()).as("nothing of an ended recording stays").isZero();
        }
    }
}
