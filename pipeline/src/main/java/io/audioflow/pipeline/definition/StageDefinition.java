package io.audioflow.pipeline.definition;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code stages:} as written, before plugins are resolved.
 *
 * @param processor plugin name; {@code versionConstraint} holds what followed {@code @}, or "*"
 * @param parallelism null when not set (the job's default applies)
 * @param config values of the {@code config:} block; {@code configPositions} where each key stands
 * @param uid what the stage's operator uid is made from, where the YAML sets one ({@code uid:}, so
 *     that a renamed stage keeps its state); null: the name
 * @param shadow the processor to run beside this one for comparison ({@code shadow:}); or null
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
        Map<String, SourcePosition> configPositions,
        Located<String> uid,
        ShadowDefinition shadow)
        implements java.io.Serializable {

    /** Without a shadow. */
    public StageDefinition(
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
            Map<String, SourcePosition> configPositions,
            Located<String> uid) {
        this(
                name,
                processor,
                versionConstraint,
                config,
                dependencies,
                parallelism,
                errorHandling,
                at,
                processorAt,
                configAt,
                configPositions,
                uid,
                null);
    }

    /** The stage's operator uid comes from this: its {@code uid:}, or else its name. */
    public String uidKey() {
        return uid != null ? uid.value() : name;
    }

    public StageDefinition withParallelism(Integer p) {
        return new StageDefinition(
                name,
                processor,
                versionConstraint,
                config,
                dependencies,
                p,
                errorHandling,
                at,
                processorAt,
                configAt,
                configPositions,
                uid,
                shadow);
    }

    /** The same stage running {@code processor} with {@code newConfig}; everything else kept. */
    public StageDefinition withProcessor(ProcessorRef processor, Map<String, Object> newConfig) {
        return new StageDefinition(
                name,
                processor.name(),
                processor.constraint(),
                newConfig,
                dependencies,
                parallelism,
                errorHandling,
                at,
                processorAt,
                configAt,
                configPositions,
                uid,
                shadow);
    }

    public StageDefinition withShadow(ShadowDefinition s) {
        return new StageDefinition(
                name,
                processor,
                versionConstraint,
                config,
                dependencies,
                parallelism,
                errorHandling,
                at,
                processorAt,
                configAt,
                configPositions,
                uid,
                s);
    }

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
