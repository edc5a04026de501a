package io.audioflow.api;

/**
 * What the host gives a stage when it opens a session: the stage's name in the pipeline and its
 * config with defaults applied. New collaborators are added here as components, never as statics;
 * plugins only read them, so adding one does not break a compiled plugin.
 */
public record StageContext(String stageName, StageConfig config) {

    public static StageContext of(String stageName, StageConfig config) {
        return new StageContext(stageName, config);
    }
}
