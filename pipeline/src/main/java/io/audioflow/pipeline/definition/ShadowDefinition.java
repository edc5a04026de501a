package io.audioflow.pipeline.definition;

import java.util.Map;

/**
 * A stage's {@code shadow:} as written: another processor (or version) to run beside the stage's
 * own on the same audio, for comparison only.
 *
 * @param config the shadow's own {@code config:}, or null to run with the stage's config (the keys
 *     the shadow's plugin declares)
 */
public record ShadowDefinition(
        String processor,
        String versionConstraint,
        Map<String, Object> config,
        SourcePosition at,
        Map<String, SourcePosition> configPositions)
        implements java.io.Serializable {}
