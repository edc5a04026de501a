package io.audioflow.pipeline.plugin;

import io.audioflow.api.PluginInfo;
import io.audioflow.api.StagePlugin;
import java.util.function.Supplier;

/**
 * A plugin class a scan found, as it declared itself, before the host's SPI check. {@code instance}
 * returns the plugin, creating it first when it was declared from the registry cache.
 *
 * @param info null when {@code info()} failed; {@code infoProblem} then says how
 * @param implementsKind whether the class implements the interface of the kind it declares
 */
record Declared(
        String className,
        String source,
        PluginInfo info,
        String infoProblem,
        boolean implementsKind,
        Supplier<StagePlugin> instance) {

    static Declared of(StagePlugin plugin) {
        PluginInfo info;
        String problem = null;
        try {
            info = plugin.info();
            if (info == null) problem = "info() returned null";
        } catch (RuntimeException e) {
            info = null;
            problem = "info() failed: " + e;
        }
        boolean implementsKind =
                info != null && PluginRegistry.kindInterface(info.kind()).isInstance(plugin);
        return new Declared(
                plugin.getClass().getName(),
                PluginRegistry.sourceOf(plugin.getClass()),
                info,
                problem,
                implementsKind,
                () -> plugin);
    }
}
