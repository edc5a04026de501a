package io.audioflow.api;

/**
 * What the host gives a stage when it opens a session: the stage's name in the pipeline and its
 * config with defaults applied. New collaborators are added here, never as statics.
 *
 * @param maxBytes the most memory a session may allocate for buffered input
 */
public record StageContext(String stageName, StageConfig config, long maxBytes) {

    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

    public static StageContext of(String stageName, StageConfig config) {
        return new StageContext(stageName, config, DEFAULT_MAX_BYTES);
    }
}
