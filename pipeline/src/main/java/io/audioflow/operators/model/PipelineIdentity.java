package io.audioflow.operators.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What every result's provenance names: the pipeline, the SHA-256 of its resolved configuration,
 * the configuration version (1 as submitted, then one more per accepted control update) and the
 * exact plugin version of each stage.
 */
public record PipelineIdentity(
        String name,
        String version,
        String configSha256,
        long configVersion,
        List<StageSpec> stages)
        implements Serializable {

    public PipelineIdentity {
        stages = List.copyOf(stages);
    }

    /** The submitted pipeline's identity (config version 1). */
    public PipelineIdentity(
            String name, String version, String configSha256, List<StageSpec> stages) {
        this(name, version, configSha256, 1, stages);
    }

    /** The identity of a recording that started under {@code config}; this one when null. */
    public PipelineIdentity under(PipelineVersion config) {
        if (config == null) return this;
        Map<String, StageSpec> changed = config.changedStages();
        return new PipelineIdentity(
                name,
                version,
                config.configSha256(),
                config.version(),
                stages.stream().map(s -> changed.getOrDefault(s.name(), s)).toList());
    }

    public StageSpec stage(String stageName) {
        return stages.stream().filter(s -> s.name().equals(stageName)).findFirst().orElse(null);
    }
}
