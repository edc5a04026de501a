package io.audioflow.operators.plugin;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lifecycle events as log lines; the fields come first so log platforms can index them. */
public final class LoggingLifecycleListener implements LifecycleListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.audioflow.lifecycle");

    @Override
    public void pluginLoaded(PluginInfo plugin, String source) {
        LOG.debug("plugin={} event=loaded source={}", plugin.coordinates(), source);
    }

    @Override
    public void pluginRejected(String candidate, String source, String reason) {
        LOG.warn("plugin={} event=rejected source={} reason={}", candidate, source, reason);
    }

    @Override
    public void stageOpened(String stage, PluginInfo plugin) {
        LOG.info("stage={} event=opened plugin={}", stage, plugin.coordinates());
    }

    @Override
    public void stageFailed(String stage, String recordingId, ErrorCode code, String message) {
        LOG.warn(
                "stage={} recording={} event=failed code={} message={}",
                stage,
                recordingId,
                code.code(),
                message);
    }

    @Override
    public void stageRetried(String stage, String recordingId, int attempt, long backoffMillis) {
        LOG.info(
                "stage={} recording={} event=retry attempt={} backoff_ms={}",
                stage,
                recordingId,
                attempt,
                backoffMillis);
    }

    @Override
    public void stageFellBack(
            String stage, String recordingId, String fallback, ErrorCode code, String message) {
        LOG.warn(
                "stage={} recording={} event=fallback fallback={} code={} message={}",
                stage,
                recordingId,
                fallback,
                code.code(),
                message);
    }

    @Override
    public void configApplied(String pipeline, String configVersion) {
        LOG.info("pipeline={} event=config_applied version={}", pipeline, configVersion);
    }
}
