package io.audioflow.pipeline.runtime;

import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ChunkProgress;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.StageResult;

/** What a stage hands on while it works on a chunk; a runtime routes each kind its own way. */
public interface StageOutput {

    /** Audio for the stages below (a processor's output, an analyzer's annotated input). */
    void audio(AudioChunk chunk);

    /** The stage's result for a recording, once it ends or fails. */
    void result(StageResult result);

    void deadLetter(DeadLetter letter);

    /** An analyzer's per-chunk progress, for the monitoring topic. */
    default void progress(ChunkProgress progress) {}
}
