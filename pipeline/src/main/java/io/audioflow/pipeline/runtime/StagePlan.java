package io.audioflow.pipeline.runtime;

import io.audioflow.operators.model.StageSpec;

/**
 * A stage and where its audio comes from.
 *
 * @param upstream the stage whose audio this one takes; null for the decoder (and the decision,
 *     which takes every stage's results instead)
 */
public record StagePlan(StageSpec spec, String upstream) {}
