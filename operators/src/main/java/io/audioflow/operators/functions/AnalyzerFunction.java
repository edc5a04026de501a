package io.audioflow.operators.functions;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ChunkProgress;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.runtime.AnalyzerStage;
import io.audioflow.pipeline.runtime.RecordingSlots;
import io.audioflow.pipeline.runtime.StageOutput;
import io.audioflow.pipeline.runtime.StageServices;
import org.apache.flink.util.Collector;

/**
 * An analyzer stage: its result on the main output; the audio it passes on, its progress and dead
 * letters on side outputs.
 */
public class AnalyzerFunction extends StageFunction<AudioChunk, StageResult, AnalyzerStage> {

    private final boolean reportProgress;
    private final boolean passAudio;

    public AnalyzerFunction(StageSpec stage) {
        this(stage, false, false);
    }

    /**
     * @param reportProgress emit each chunk's {@code progress()} metrics on {@link
     *     StageOutputs#PROGRESS}, for the monitoring topic
     * @param passAudio pass the input audio on at {@link StageOutputs#AUDIO} with this analyzer's
     *     products attached, for the stages that depend on it
     */
    public AnalyzerFunction(StageSpec stage, boolean reportProgress, boolean passAudio) {
        super(stage);
        this.reportProgress = reportProgress;
        this.passAudio = passAudio;
    }

    @Override
    protected AnalyzerStage runner(StageServices services, RecordingSlots slots) {
        return new AnalyzerStage(stage, reportProgress, passAudio, services, slots);
    }

    @Override
    protected StageOutput output(Context ctx, Collector<StageResult> out) {
        return new StageOutput() {
            @Override
            public void audio(AudioChunk chunk) {
                ctx.output(StageOutputs.AUDIO, chunk);
            }

            @Override
            public void result(StageResult result) {
                out.collect(result);
            }

            @Override
            public void deadLetter(DeadLetter letter) {
                ctx.output(StageOutputs.DEAD_LETTERS, letter);
            }

            @Override
            public void progress(ChunkProgress progress) {
                ctx.output(StageOutputs.PROGRESS, progress);
            }
        };
    }
}
