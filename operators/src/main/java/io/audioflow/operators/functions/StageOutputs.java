package io.audioflow.operators.functions;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ChunkProgress;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.StageResult;
import org.apache.flink.util.OutputTag;

/** Side outputs shared by stage operators. */
public final class StageOutputs {

    /** Per-recording summaries of stages whose main output is audio (decoder, processors). */
    public static final OutputTag<StageResult> RESULTS = new OutputTag<>("stage-results") {};

    /**
     * Items that failed, on their way to the dead-letter topic: input messages that cannot be used,
     * and the failures of stages on a recording.
     */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    /** Analyzers' per-chunk progress, when the job has a monitoring topic. */
    public static final OutputTag<ChunkProgress> PROGRESS = new OutputTag<>("chunk-progress") {};

    /**
     * An analyzer with products passes its input audio on here, its tracks attached, to the stages
     * that depend on it.
     */
    public static final OutputTag<AudioChunk> AUDIO = new OutputTag<>("annotated-audio") {};

    private StageOutputs() {}
}
