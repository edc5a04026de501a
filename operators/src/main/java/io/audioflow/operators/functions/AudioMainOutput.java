package io.audioflow.operators.functions;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.StageResult;
import io.audioflow.pipeline.runtime.StageOutput;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The outputs of a stage whose product is audio (decoder, processors): audio on the main output,
 * results and dead letters aside.
 */
record AudioMainOutput(KeyedProcessFunction<?, ?, ?>.Context ctx, Collector<AudioChunk> out)
        implements StageOutput {

    @Override
    public void audio(AudioChunk chunk) {
        out.collect(chunk);
    }

    @Override
    public void result(StageResult result) {
        ctx.output(StageOutputs.RESULTS, result);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        ctx.output(StageOutputs.DEAD_LETTERS, letter);
    }
}
