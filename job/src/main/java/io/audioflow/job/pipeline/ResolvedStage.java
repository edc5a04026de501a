package io.audioflow.job.pipeline;

import io.audioflow.api.StreamFormat;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.operators.plugin.LoadedPlugin;

/** A stage whose plugin was found and whose config checked out. */
public record ResolvedStage(
        StageDefinition definition, LoadedPlugin plugin, StageSpec spec, StreamFormat output) {

    public String name() {
        return definition.name();
    }
}
