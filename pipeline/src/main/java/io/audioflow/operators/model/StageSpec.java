package io.audioflow.operators.model;

import io.audioflow.api.SemVer;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated stage as operators need it: the plugin version chosen at validation time (operators
 * never re-resolve, so every TaskManager runs the same version) and its config with defaults.
 *
 * @param allowedPluginSha256 pinned digests of external plugin jars; empty when not pinned (checked
 *     again wherever the operator loads its plugins)
 * @param fallback the {@code error_handling} fallback, resolved the same way (same stage name, its
 *     own plugin and config); null when the stage has none
 * @param shadow a processor run beside this one on the same audio, whose metrics (and, for the
 *     decision, verdict) go to the result's {@code shadow} object and never affect the live result;
 *     null when the stage has none
 */
public record StageSpec(
        String name,
        StageKind kind,
        String plugin,
        String version,
        LinkedHashMap<String, Object> config,
        ErrorPolicy errorPolicy,
        ArrayList<String> pluginPaths,
        ArrayList<String> allowedPluginSha256,
        StageSpec fallback,
        StageSpec shadow)
        implements Serializable {

    public StageSpec {
        config = new LinkedHashMap<>(config);
        pluginPaths = new ArrayList<>(pluginPaths);
        allowedPluginSha256 = new ArrayList<>(allowedPluginSha256);
    }

    public static StageSpec of(
            String name,
            StageKind kind,
            String plugin,
            SemVer version,
            Map<String, Object> config,
            ErrorPolicy policy) {
        return new StageSpec(
                name,
                kind,
                plugin,
                version.toString(),
                new LinkedHashMap<>(config),
                policy,
                new ArrayList<>(),
                new ArrayList<>(),
                null,
                null);
    }

    /** The same stage, loading external plugins from {@code paths} (where validation found it). */
    public StageSpec withPluginPaths(List<String> paths) {
        return new StageSpec(
                name,
                kind,
                plugin,
                version,
                config,
                errorPolicy,
                new ArrayList<>(paths),
                allowedPluginSha256,
                fallback == null ? null : fallback.withPluginPaths(paths),
                shadow == null ? null : shadow.withPluginPaths(paths));
    }

    /** The same stage, loading only external jars with these digests. */
    public StageSpec withAllowedPluginSha256(List<String> digests) {
        return new StageSpec(
                name,
                kind,
                plugin,
                version,
                config,
                errorPolicy,
                pluginPaths,
                new ArrayList<>(digests),
                fallback == null ? null : fallback.withAllowedPluginSha256(digests),
                shadow == null ? null : shadow.withAllowedPluginSha256(digests));
    }

    /** The same stage with a processor to take over recordings it fails on. */
    public StageSpec withFallback(StageSpec fallback) {
        return new StageSpec(
                name,
                kind,
                plugin,
                version,
                config,
                errorPolicy,
                pluginPaths,
                allowedPluginSha256,
                fallback,
                shadow);
    }

    /** The same stage with a processor to run beside it, for comparison only. */
    public StageSpec withShadow(StageSpec shadow) {
        return new StageSpec(
                name,
                kind,
                plugin,
                version,
                config,
                errorPolicy,
                pluginPaths,
                allowedPluginSha256,
                fallback,
                shadow);
    }

    public SemVer semVer() {
        return SemVer.parse(version);
    }

    public String coordinates() {
        return plugin + "@" + version;
    }

    public StageContext context() {
        return StageContext.of(name, StageConfig.of(config));
    }
}
