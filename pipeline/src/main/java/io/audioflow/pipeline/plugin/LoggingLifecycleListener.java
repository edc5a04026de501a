package io.audioflow.pipeline.plugin;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PluginInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lifecycle events as log lines. The fields come first in the message, and also go into the MDC
 * under {@code audioflow.*} keys while the line is written, so a JSON layout (see
 * config/log4j2-json.properties) gives a log platform fields to index: job, stage, recording id,
 * error code, plugin.
 */
public final class LoggingLifecycleListener implements LifecycleListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.audioflow.lifecycle");

    /** Where audioflow's own classes, and so its built-in plugins, were loaded from. */
    private static final String HOST = PluginRegistry.sourceOf(LoggingLifecycleListener.class);

    private final String job;

    public LoggingLifecycleListener() {
        this(null);
    }

    /**
     * @param job the Flink job's name, which carries the pipeline's name; null outside a job
     */
    public LoggingLifecycleListener(String job) {
        this.job = job;
    }

    @Override
    public void pluginLoaded(PluginInfo plugin, String source) {
        // Built-ins load in every operator: debug. An external plugin, and where it came from,
        // is worth a line.
        boolean external = !source.equals(HOST);
        if (!external && !LOG.isDebugEnabled()) return;
        withFields(
                fields(null, null, null, plugin.coordinates()),
                () -> {
                    if (external)
                        LOG.info("plugin={} event=loaded source={}", plugin.coordinates(), source);
                    else
                        LOG.debug("plugin={} event=loaded source={}", plugin.coordinates(), source);
                });
    }

    @Override
    public void pluginRejected(String candidate, String source, String reason) {
        withFields(
                fields(null, null, null, candidate),
                () ->
                        LOG.warn(
                                "plugin={} event=rejected source={} reason={}",
                                candidate,
                                source,
                                reason));
    }

    @Override
    public void stageOpened(String stage, PluginInfo plugin) {
        withFields(
                fields(stage, null, null, plugin.coordinates()),
                () -> LOG.info("stage={} event=opened plugin={}", stage, plugin.coordinates()));
    }

    @Override
    public void stageFailed(String stage, String recordingId, ErrorCode code, String message) {
        withFields(
                fields(stage, recordingId, code.code(), null),
                () ->
                        LOG.warn(
                                "stage={} recording={} event=failed code={} message={}",
                                stage,
                                recordingId,
                                code.code(),
                                message));
    }

    @Override
    public void stageRetried(String stage, String recordingId, int attempt, long backoffMillis) {
        withFields(
                fields(stage, recordingId, null, null),
                () ->
                        LOG.warn(
                                "stage={} recording={} event=retry attempt={} backoff_ms={}",
                                stage,
                                recordingId,
                                attempt,
                                backoffMillis));
    }

    @Override
    public void stageFellBack(
            String stage, String recordingId, String fallback, ErrorCode code, String message) {
        withFields(
                fields(stage, recordingId, code.code(), fallback),
                () ->
                        LOG.warn(
                                "stage={} recording={} event=fallback fallback={} code={} message={}",
                                stage,
                                recordingId,
                                fallback,
                                code.code(),
                                message));
    }

    @Override
    public void configApplied(String pipeline, String configVersion) {
        withFields(
                Map.of("audioflow.pipeline", pipeline),
                () ->
                        LOG.info(
                                "pipeline={} event=config_applied version={}",
                                pipeline,
                                configVersion));
    }

    private Map<String, String> fields(
            String stage, String recordingId, String errorCode, String plugin) {
        Map<String, String> f = new LinkedHashMap<>();
        if (job != null) f.put("audioflow.job", job);
        if (stage != null) f.put("audioflow.stage", stage);
        if (recordingId != null) f.put("audioflow.recording_id", recordingId);
        if (errorCode != null) f.put("audioflow.error_code", errorCode);
        if (plugin != null) f.put("audioflow.plugin", plugin);
        return f;
    }

    /** The fields are in the MDC for this one line only: task threads serve many recordings. */
    private static void withFields(Map<String, String> fields, Runnable log) {
        fields.forEach(MDC::put);
        try {
            log.run();
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }
}
