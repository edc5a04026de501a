package io.audioflow.operators.plugin;

import io.audioflow.api.PluginInfo;
import io.audioflow.api.StagePlugin;

/** A plugin that passed loading and the SPI check, with where it came from. */
public record LoadedPlugin(StagePlugin plugin, String source) {

    public PluginInfo info() {
        return plugin.info();
    }
}
