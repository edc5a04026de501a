package io.audioflow.job.pipeline;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code stages:} as written, before plugins are resolved.
 *
 * @param processor plugin name; {@code versionConstraint} holds what followed {@code @}, or "*"
 * @param parallelism null when not set (the job's default applies)
 * @param config values of the {@code config:} block; {@code configPositions} where each key stands
 */
public record StageDefinition(
        String name,
        String processor,
        String versionConstraint,
        Map<String, Object> config,
        List<Located<String>> dependencies,
        Integer parallelism,
        ErrorHandlingDefinition errorHandling,
        SourcePosition at,
        SourcePosition processorAt,
        SourcePosition configAt,
        Map<String, SourcePosition> configPositions)
        implements java.io.Serializable {

    public List<String> dependencyNames() {
        return dependencies.stream().map(Located::value).toList();
    }

    /** Position of a config key, falling back to the config block, then the stage. */
    public SourcePosition configPosition(String key) {
        SourcePosition p = configPositions.get(key);
        if (p == null && key.contains("."))
            p = configPositions.get(key.substring(0, key.indexOf('.')));
        return p != null ? p : configAt != null ? configAt : at;
    }
}
