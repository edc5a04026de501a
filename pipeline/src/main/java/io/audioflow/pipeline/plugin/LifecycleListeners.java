package io.audioflow.pipeline.plugin;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PluginInfo;
import java.util.List;

/** Hands every lifecycle event to each listener in turn (logging, then metrics). */
public final class LifecycleListeners implements LifecycleListener {

    private final List<LifecycleListener> listeners;

    private LifecycleListeners(List<LifecycleListener> listeners) {
        this.listeners = listeners;
    }

    public static LifecycleListener of(LifecycleListener... listeners) {
        return new LifecycleListeners(List.of(listeners));
    }

    @Override
    public void pluginLoaded(PluginInfo plugin, String source) {
        listeners.forEach(l -> l.pluginLoaded(plugin, source));
    }

    @Override
    public void pluginRejected(String candidate, String source, String reason) {
        listeners.forEach(l -> l.pluginRejected(candidate, source, reason));
    }

    @Override
    public void stageOpened(String stage, PluginInfo plugin) {
        listeners.forEach(l -> l.stageOpened(stage, plugin));
    }

    @Override
    public void stageFailed(String stage, String recordingId, ErrorCode code, String message) {
        listeners.forEach(l -> l.stageFailed(stage, recordingId, code, message));
    }

    @Override
    public void stageRetried(String stage, String recordingId, int attempt, long backoffMillis) {
        listeners.forEach(l -> l.stageRetried(stage, recordingId, attempt, backoffMillis));
    }

    @Override
    public void stageFellBack(
            String stage, String recordingId, String fallback, ErrorCode code, String message) {
        listeners.forEach(l -> l.stageFellBack(stage, recordingId, fallback, code, message));
    }

    @Override
    public void configApplied(String pipeline, String configVersion) {
        listeners.forEach(l -> l.configApplied(pipeline, configVersion));
    }
}
