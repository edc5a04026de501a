package io.audioflow.operators.functions;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.runtime.ProcessorStage;
import io.audioflow.pipeline.runtime.RecordingSlots;
import io.audioflow.pipeline.runtime.StageOutput;
import io.audioflow.pipeline.runtime.StageServices;
import org.apache.flink.util.Collector;

/** A processor stage (resample, downmix…): audio out on the main output, results aside. */
public class ProcessorFunction extends StageFunction<AudioChunk, AudioChunk, ProcessorStage> {

    public ProcessorFunction(StageSpec stage) {
        super(stage);
    }

    @Override
    protected ProcessorStage runner(StageServices services, RecordingSlots slots) {
        return new ProcessorStage(stage, services, slots);
    }

    @Override
    protected StageOutput output(Context ctx, Collector<AudioChunk> out) {
        return new AudioMainOutput(ctx, out);
    }
}
