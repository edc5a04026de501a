package io.audioflow.api;

/**
 * Everything that happens to plugins and stages goes through this one interface; logging and
 * metrics implement it. Every method has a no-op default so a listener overrides only what it
 * reports.
 */
public interface LifecycleListener {

    LifecycleListener NONE = new LifecycleListener() {};

    default void pluginLoaded(PluginInfo plugin, String source) {}

    default void pluginRejected(String candidate, String source, String reason) {}

    default void stageOpened(String stage, PluginInfo plugin) {}

    default void stageFailed(String stage, String recordingId, ErrorCode code, String message) {}

    default void stageRetried(String stage, String recordingId, int attempt, long backoffMillis) {}

    /** The stage's {@code fallback} processor took over a recording after {@code code}. */
    default void stageFellBack(
            String stage, String recordingId, String fallback, ErrorCode code, String message) {}

    default void configApplied(String pipeline, String configVersion) {}
}
