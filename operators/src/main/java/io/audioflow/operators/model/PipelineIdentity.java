package io.audioflow.operators.model;

import java.io.Serializable;
import java.util.List;

/**
 * What every result's provenance names: the pipeline, the SHA-256 of its resolved configuration and
 * the exact plugin version of each stage.
 */
public record PipelineIdentity(
        String name, String version, String configSha256, List<StageSpec> stages)
        implements Serializable {

    public PipelineIdentity {
        stages = List.copyOf(stages);
    }
}
