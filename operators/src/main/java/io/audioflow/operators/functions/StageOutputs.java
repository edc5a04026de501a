package io.audioflow.operators.functions;

import io.audioflow.operators.model.StageResult;
import org.apache.flink.util.OutputTag;

/** Side outputs shared by stage operators. */
public final class StageOutputs {

    /** Per-recording summaries of stages whose main output is audio (decoder, processors). */
    public static final OutputTag<StageResult> RESULTS = new OutputTag<>("stage-results") {};

    private StageOutputs() {}
}
