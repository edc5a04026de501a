package io.audioflow.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioAnalyzer.Accumulator;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.api.testing.Feeding;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.testing.FlakyAnalyzer;
import io.audioflow.plugins.metrics.TemporalAnalyzer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stage's session between chunks: live on the heap backend, bytes on RocksDB and in every
 * checkpoint, and readable from the byte slots earlier versions kept it in.
 */
class LiveSessionsTest {

    private static final AudioFormat FORMAT = new AudioFormat(16_000, 1);
    private static final float[] TONE = Feeding.sine(FORMAT, 1.0, 440, 0.5);

    @BeforeEach
    void resetCounters() {
        FlakyAnalyzer.FAILED.set(0);
        FlakyAnalyzer.RESTORED.set(0);
    }

    static Stream<Named<Supplier<StateBackend>>> backends() {
        return Stream.of(
                Named.of("hashmap", HashMapStateBackend::new),
                Named.of("rocksdb", EmbeddedRocksDBStateBackend::new));
    }

    private static StageSpec temporal() {
        return StageSpec.of(
                "temporal",
                StageKind.ANALYZER,
                "temporal",
                SemVer.of(1, 0, 0),
                Map.of("clip_level", 0.99),
                ErrorPolicy.FAIL);
    }

    private static StageSpec flaky(Map<String, Object> config, ErrorPolicy policy) {
        return StageSpec.of(
                "flaky", StageKind.ANALYZER, "flaky", SemVer.of(1, 0, 0), config, policy);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> harness(
            KeyedProcessFunction<String, AudioChunk, StageResult> function, StateBackend backend)
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        (AudioChunk c) -> c.recordingId,
                        Types.STRING);
        h.setStateBackend(backend);
        return h;
    }

    private static AudioChunk chunk(int from, int to, boolean last) {
        return AudioChunk.of(
                "r1", new AudioBlock(FORMAT, from, Arrays.copyOfRange(TONE, from, to)), last);
    }

    /** Feeds TONE in chunks of {@code size} samples, the last one ending the recording. */
    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> h,
            int from,
            int size)
            throws Exception {
        for (int at = from; at < TONE.length; at += size) {
            int to = Math.min(TONE.length, at + size);
            h.processElement(chunk(at, to, to == TONE.length), 0);
        }
    }

    private static double samplesCounted(
            KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> h) {
        assertThat(h.extractOutputValues()).singleElement();
        StageResult r = h.extractOutputValues().get(0);
        assertThat(r.status).as(r.errorMessage).isEqualTo(StageResult.OK);
        return r.metrics.get("samples");
    }

    @Test
    void theHeapBackendKeepsASessionLiveFromChunkToChunk() throws Exception {
        assertThat(restoresFeedingTheToneThrough(new HashMapStateBackend())).isZero();
    }

    @Test
    void rocksDbHandsTheSessionBackAsBytesForEveryChunk() throws Exception {
        assertThat(restoresFeedingTheToneThrough(new EmbeddedRocksDBStateBackend()))
                .as("every chunk after the first")
                .isEqualTo(9);
    }

    /** How often the stage restored a session from bytes while TONE went through in 10 chunks. */
    private static int restoresFeedingTheToneThrough(StateBackend backend) throws Exception {
        try (var h =
                harness(
                        new AnalyzerFunction(flaky(Map.of("failures", 0L), ErrorPolicy.FAIL)),
                        backend)) {
            h.open();
            feed(h, 0, 1600);
            assertThat(samplesCounted(h)).isEqualTo(TONE.length);
            assertThat(keysIn(h, "analyzer-state")).isZero();
            return FlakyAnalyzer.RESTORED.get();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aCheckpointResumesARecordingWithTheResultOfOneUninterruptedRun(
            Supplier<StateBackend> backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(new AnalyzerFunction(temporal()), backend.get())) {
            h.open();
            h.processElement(chunk(0, 4000, false), 0);
            h.processElement(chunk(4000, 7000, false), 0);
            snapshot = h.snapshot(1L, 1L);
            // What the first run does after its checkpoint is lost with it.
            h.processElement(chunk(7000, 9000, false), 0);
        }
        resumeAt7000AndCheckTheWholeTonesResult(snapshot, backend.get());
    }

    /**
     * Resumes the recording from {@code snapshot} at sample 7000, checks that its result is that of
     * the whole tone and that nothing of it stays, and says how many entries the former byte slot
     * still holds.
     */
    private static long resumeAt7000AndCheckTheWholeTonesResult(
            OperatorSubtaskState snapshot, StateBackend backend) throws Exception {
        try (var h = harness(new AnalyzerFunction(temporal()), backend)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, 7000, 3000);
            Map<String, Double> direct = Feeding.analyze(new TemporalAnalyzer(), FORMAT, TONE);
            StageResult r = h.extractOutputValues().get(0);
            assertThat(r.status).isEqualTo(StageResult.OK);
            assertThat(r.metrics.get("rms_dbfs")).isCloseTo(direct.get("rms_dbfs"), within(1e-9));
            assertThat(r.metrics.get("zcr")).isCloseTo(direct.get("zcr"), within(1e-12));
            assertThat(keysIn(h, "analyzer-state")).isZero();
            return keysIn(h, "accumulator");
        }
    }

    @Test
    void aRetriedStepStartsFromTheLastGoodSessionNotTheOneTheFailureChanged() throws Exception {
        ErrorPolicy retry = new ErrorPolicy(ErrorPolicy.Mode.RETRY, 2, 0, null);
        try (var h =
                harness(
                        new AnalyzerFunction(
                                flaky(Map.of("failures", 1L, "count_then_fail", true), retry)),
                        new HashMapStateBackend())) {
            h.open();
            FlakyAnalyzer.FAILED.set(1); // the first chunk goes through
            h.processElement(chunk(0, 4000, false), 0);
            FlakyAnalyzer.FAILED.set(0); // the second counts its samples, then fails once
            h.processElement(chunk(4000, 8000, false), 0);
            h.processElement(chunk(8000, TONE.length, true), 0);
            assertThat(FlakyAnalyzer.FAILED).as("the second chunk failed once").hasValue(1);
            assertThat(samplesCounted(h)).as("each sample once").isEqualTo(TONE.length);
        }
    }

    /**
     * A recording open in a savepoint of an earlier version: its session is in the byte slot {@code
     * accumulator}, as the frame count and the plugin's bytes.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void aSessionInTheFormerByteSlotResumesAndIsThenCleared(Supplier<StateBackend> backend)
            throws Exception {
        byte[] former = formerBytes(Arrays.copyOfRange(TONE, 0, 7000));
        OperatorSubtaskState snapshot;
        try (var h = harness(new FormerAnalyzerSlot(former), backend.get())) {
            h.open();
            h.processElement(chunk(0, 7000, false), 0);
            snapshot = h.snapshot(1L, 1L);
        }
        assertThat(resumeAt7000AndCheckTheWholeTonesResult(snapshot, backend.get()))
                .as("entries left in the former slot")
                .isZero();
    }

    /** Recordings with a value in the operator's keyed state {@code name}, on any backend. */
    private static long keysIn(
            KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, StageResult> h,
            String name) {
        var operator = (AbstractStreamOperator<?>) h.getOperator();
        try (Stream<Object> keys =
                operator.getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** What the temporal stage kept in its byte slot after {@code samples}. */
    private static byte[] formerBytes(float[] samples) throws IOException {
        StageSpec spec = temporal();
        Accumulator acc = new TemporalAnalyzer().open(FORMAT, spec.context());
        acc.accept(new AudioBlock(FORMAT, 0, samples));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(0);
        acc.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** Keeps a session where the analyzer stage kept it before sessions were kept live. */
    private static final class FormerAnalyzerSlot
            extends KeyedProcessFunction<String, AudioChunk, StageResult> {
        private final byte[] session;

        FormerAnalyzerSlot(byte[] session) {
            this.session = session;
        }

        @Override
        public void processElement(AudioChunk in, Context ctx, Collector<StageResult> out)
                throws IOException {
            getRuntimeContext()
                    .getState(
                            new ValueStateDescriptor<>(
                                    "accumulator",
                                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO))
                    .update(session);
        }
    }
}
