package io.audioflow.pipeline.runtime;

import io.audioflow.api.LifecycleListener;
import io.audioflow.pipeline.plugin.PluginRegistry;

/**
 * What a stage needs from the runtime it runs in: the plugins it may load, who hears of its
 * lifecycle (logs, metrics), and who times its steps.
 */
public record StageServices(PluginRegistry registry, LifecycleListener listener, StepMeter meter) {}
