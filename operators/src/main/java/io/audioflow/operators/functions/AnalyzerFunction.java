package io.audioflow.operators.functions;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioAnalyzer.Accumulator;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.ValidationException;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.PluginRegistry;
import java.io.DataInputStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** An analyzer stage: accumulates a recording chunk by chunk, emits its metrics at the end. */
public class AnalyzerFunction extends KeyedProcessFunction<String, AudioChunk, StageResult> {

    private final StageSpec stage;
    private transient AudioAnalyzer analyzer;
    private transient ValueState<byte[]> accumulator;
    private transient ValueState<Boolean> failed;

    public AnalyzerFunction(StageSpec stage) {
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        analyzer =
                (AudioAnalyzer)
                        PluginRegistry.builtIn().require(stage.plugin(), stage.semVer()).plugin();
        accumulator = getRuntimeContext().getState(StateBytes.descriptor("accumulator"));
        failed = getRuntimeContext().getState(new ValueStateDescriptor<>("failed", Types.BOOLEAN));
    }

    @Override
    public void processElement(AudioChunk in, Context ctx, Collector<StageResult> out)
            throws Exception {
        if (in.failed()) {
            out.collect(
                    StageResult.failed(
                            in.recordingId,
                            stage,
                            ErrorCode.UPSTREAM_FAILED.code(),
                            "stage `" + in.errorStage + "` failed"));
            accumulator.clear();
            failed.clear();
            return;
        }
        if (Boolean.TRUE.equals(failed.value())) {
            if (in.last) failed.clear();
            return;
        }
        try {
            byte[] stored = accumulator.value();
            Accumulator acc;
            if (stored == null) {
                if (!analyzer.accepts(stage.context().config()).accepts(in.format())) {
                    throw new ValidationException(
                            ErrorCode.FORMAT_MISMATCH,
                            "stage `"
                                    + stage.name()
                                    + "` needs "
                                    + analyzer.accepts(stage.context().config())
                                    + " but got "
                                    + in.format());
                }
                acc = analyzer.open(in.format(), stage.context());
            } else {
                DataInputStream reader = StateBytes.read(stored);
                reader.readLong();
                acc = analyzer.restore(in.format(), stage.context(), reader);
            }
            if (in.samples.length > 0) acc.accept(in.block());
            if (in.last) {
                StageResult result = StageResult.ok(in.recordingId, stage);
                for (QualityMetric metric : acc.result())
                    result.metrics.put(metric.name(), metric.value());
                out.collect(result);
                accumulator.clear();
            } else {
                accumulator.update(StateBytes.write(0, acc));
            }
        } catch (RuntimeException e) {
            String code = StageFailures.code(e);
            String message = StageFailures.message(e);
            out.collect(
                    stage.errorPolicy().mode() == ErrorPolicy.Mode.SKIP
                            ? StageResult.skipped(in.recordingId, stage, code + ": " + message)
                            : StageResult.failed(in.recordingId, stage, code, message));
            accumulator.clear();
            if (!in.last) failed.update(true);
        }
    }
}
