package io.audioflow.operators.functions;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.AudioProcessor.ProcessorSession;
import io.audioflow.api.ErrorCode;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.PluginRegistry;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** A processor stage (resample, downmix…): audio in, audio out, per recording. */
public class ProcessorFunction extends KeyedProcessFunction<String, AudioChunk, AudioChunk> {

    private final StageSpec stage;
    private transient AudioProcessor processor;
    private transient ValueState<byte[]> session;
    private transient ValueState<Boolean> failed;

    public ProcessorFunction(StageSpec stage) {
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        processor =
                (AudioProcessor)
                        PluginRegistry.builtIn().require(stage.plugin(), stage.semVer()).plugin();
        session = getRuntimeContext().getState(StateBytes.descriptor("processor-session"));
        failed = getRuntimeContext().getState(new ValueStateDescriptor<>("failed", Types.BOOLEAN));
    }

    @Override
    public void processElement(AudioChunk in, Context ctx, Collector<AudioChunk> out)
            throws Exception {
        if (in.failed()) {
            out.collect(in); // keep the root cause's code and stage for the result
            ctx.output(
                    StageOutputs.RESULTS,
                    StageResult.failed(
                            in.recordingId,
                            stage,
                            ErrorCode.UPSTREAM_FAILED.code(),
                            "stage `" + in.errorStage + "` failed"));
            session.clear();
            failed.clear();
            return;
        }
        if (Boolean.TRUE.equals(failed.value())) {
            if (in.last) failed.clear();
            return;
        }
        List<AudioBlock> blocks = new ArrayList<>();
        try {
            byte[] stored = session.value();
            long frames = 0;
            ProcessorSession s;
            if (stored == null) {
                if (!processor.accepts(stage.context().config()).accepts(in.format())) {
                    throw new io.audioflow.api.ValidationException(
                            ErrorCode.FORMAT_MISMATCH,
                            "stage `" + stage.name() + "` does not accept " + in.format());
                }
                s = processor.open(in.format(), stage.context());
            } else {
                DataInputStream reader = StateBytes.read(stored);
                frames = reader.readLong();
                s = processor.restore(in.format(), stage.context(), reader);
            }
            if (in.samples.length > 0) s.process(in.block(), blocks::add);
            if (in.last) s.finish(blocks::add);
            for (AudioBlock block : blocks) {
                out.collect(AudioChunk.of(in.recordingId, block, false));
                frames = block.startFrame() + block.frames();
            }
            if (in.last) {
                out.collect(AudioChunk.end(in.recordingId, s.outputFormat(), frames));
                StageResult result = StageResult.ok(in.recordingId, stage);
                result.info.putAll(s.changes());
                ctx.output(StageOutputs.RESULTS, result);
                session.clear();
            } else {
                session.update(StateBytes.write(frames, s));
            }
        } catch (RuntimeException e) {
            String code = StageFailures.code(e);
            String message = StageFailures.message(e);
            out.collect(AudioChunk.failure(in.recordingId, code, stage.name(), message));
            ctx.output(
                    StageOutputs.RESULTS, StageResult.failed(in.recordingId, stage, code, message));
            session.clear();
            if (!in.last) failed.update(true);
        }
    }
}
