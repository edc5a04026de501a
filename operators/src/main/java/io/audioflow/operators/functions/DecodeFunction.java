package io.audioflow.operators.functions;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.runtime.DecodeStage;
import io.audioflow.pipeline.runtime.RecordingSlots;
import io.audioflow.pipeline.runtime.StageOutput;
import io.audioflow.pipeline.runtime.StageServices;
import org.apache.flink.util.Collector;

/**
 * The decode stage: audio out on the main output; the decoded format and duration on the {@link
 * StageOutputs#RESULTS} side output when the recording ends.
 */
public class DecodeFunction extends StageFunction<EncodedChunk, AudioChunk, DecodeStage> {

    private final long maxRecordingSeconds;

    public DecodeFunction(StageSpec stage) {
        this(stage, ReassemblyLimits.DEFAULT_MAX_RECORDING_SECONDS);
    }

    public DecodeFunction(StageSpec stage, long maxRecordingSeconds) {
        super(stage);
        this.maxRecordingSeconds = maxRecordingSeconds;
    }

    @Override
    protected DecodeStage runner(StageServices services, RecordingSlots slots) {
        return new DecodeStage(stage, maxRecordingSeconds, services, slots);
    }

    @Override
    protected StageOutput output(Context ctx, Collector<AudioChunk> out) {
        return new AudioMainOutput(ctx, out);
    }
}
