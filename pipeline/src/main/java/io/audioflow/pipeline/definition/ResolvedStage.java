package io.audioflow.pipeline.definition;

import io.audioflow.api.StreamFormat;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.plugin.LoadedPlugin;

/** A stage whose plugin was found and whose config checked out. */
public record ResolvedStage(
        StageDefinition definition, LoadedPlugin plugin, StageSpec spec, StreamFormat output) {

    public String name() {
        return definition.name();
    }
}
