package io.audioflow.pipeline.plugin;

import io.audioflow.api.PluginInfo;
import io.audioflow.api.StagePlugin;
import java.util.function.Supplier;

/**
 * A plugin that passed loading and the SPI check, with where it came from. A plugin declared from
 * the registry cache is instantiated the first time {@link #plugin()} is called, so plugins a
 * pipeline does not use cost nothing.
 */
public final class LoadedPlugin {

    private final PluginInfo info;
    private final String source;
    private final Supplier<StagePlugin> factory;
    private StagePlugin plugin;

    public LoadedPlugin(StagePlugin plugin, String source) {
        this(plugin.info(), source, () -> plugin);
        this.plugin = plugin;
    }

    LoadedPlugin(PluginInfo info, String source, Supplier<StagePlugin> factory) {
        this.info = info;
        this.source = source;
        this.factory = factory;
    }

    public PluginInfo info() {
        return info;
    }

    public String source() {
        return source;
    }

    public synchronized StagePlugin plugin() {
        if (plugin == null) plugin = factory.get();
        return plugin;
    }
}
