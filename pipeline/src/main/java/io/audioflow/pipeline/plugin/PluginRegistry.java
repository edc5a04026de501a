package io.audioflow.pipeline.plugin;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PipelineException;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.SemVer;
import io.audioflow.api.Spi;
import io.audioflow.api.StageKind;
import io.audioflow.api.StagePlugin;
import io.audioflow.api.VersionConstraint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The plugins available to a pipeline. Discovery never fails as a whole: a broken candidate is
 * recorded in {@link #rejected()} with its reason and the scan goes on; it only matters if a
 * pipeline asks for it.
 */
public final class PluginRegistry {

    private final List<LoadedPlugin> plugins;
    private final List<RejectedPlugin> rejected;
    private final List<PinnedOutJar> pinnedOut;

    public PluginRegistry(List<LoadedPlugin> plugins, List<RejectedPlugin> rejected) {
        this(plugins, rejected, List.of());
    }

    public PluginRegistry(
            List<LoadedPlugin> plugins,
            List<RejectedPlugin> rejected,
            List<PinnedOutJar> pinnedOut) {
        this.plugins =
                plugins.stream()
                        .sorted(
                                Comparator.comparing((LoadedPlugin p) -> p.info().name())
                                        .thenComparing(
                                                p -> p.info().version(), Comparator.reverseOrder()))
                        .toList();
        this.rejected = List.copyOf(rejected);
        this.pinnedOut = List.copyOf(pinnedOut);
    }

    /** The built-in plugins on the given class loader's class path. */
    public static PluginRegistry discover(ClassLoader classLoader, LifecycleListener listener) {
        List<StagePlugin> found = new ArrayList<>();
        List<RejectedPlugin> rejected = new ArrayList<>();
        Iterator<StagePlugin> it = ServiceLoader.load(StagePlugin.class, classLoader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                // A listed class that is missing or cannot be constructed: skip it, keep scanning.
                rejected.add(new RejectedPlugin("?", "class path", e.getMessage()));
                listener.pluginRejected("?", "class path", e.getMessage());
            }
        }
        return of(found, rejected, listener);
    }

    /** Checks each candidate against this host's SPI and keeps the compatible ones. */
    public static PluginRegistry of(
            List<StagePlugin> candidates,
            List<RejectedPlugin> alreadyRejected,
            LifecycleListener listener) {
        return accept(candidates.stream().map(Declared::of).toList(), alreadyRejected, listener);
    }

    private static PluginRegistry accept(
            List<Declared> candidates,
            List<RejectedPlugin> alreadyRejected,
            LifecycleListener listener) {
        List<LoadedPlugin> loaded = new ArrayList<>();
        List<RejectedPlugin> rejected = new ArrayList<>(alreadyRejected);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Declared plugin : candidates) {
            Optional<String> problem = compatibilityProblem(plugin);
            if (problem.isEmpty() && !seen.add(plugin.info().coordinates())) {
                problem =
                        Optional.of(
                                plugin.info().coordinates()
                                        + " is installed twice; this copy is ignored");
            }
            if (problem.isPresent()) {
                rejected.add(
                        new RejectedPlugin(plugin.className(), plugin.source(), problem.get()));
                listener.pluginRejected(plugin.className(), plugin.source(), problem.get());
            } else {
                loaded.add(new LoadedPlugin(plugin.info(), plugin.source(), plugin.instance()));
                listener.pluginLoaded(plugin.info(), plugin.source());
            }
        }
        return new PluginRegistry(loaded, rejected);
    }

    /**
     * Built-in plugins plus those in {@code pluginPaths}, each external one in its own class
     * loader. A plugin whose name and version are already installed is refused as a duplicate.
     */
    public static PluginRegistry load(List<String> pluginPaths, LifecycleListener listener) {
        return load(pluginPaths, List.of(), listener);
    }

    /**
     * @param allowedSha256 when not empty, only external jars with these SHA-256 digests load
     *     (built-ins are part of audioflow and always do)
     */
    public static PluginRegistry load(
            List<String> pluginPaths, List<String> allowedSha256, LifecycleListener listener) {
        return load(pluginPaths, allowedSha256, listener, PluginIndex.none());
    }

    /**
     * @param index the registry cache: unchanged jars are declared from it and opened only when a
     *     pipeline uses their plugins; what this scan learns is saved back
     */
    public static PluginRegistry load(
            List<String> pluginPaths,
            List<String> allowedSha256,
            LifecycleListener listener,
            PluginIndex index) {
        ClassLoader host = PluginRegistry.class.getClassLoader();
        List<Declared> candidates = new ArrayList<>();
        List<RejectedPlugin> rejected = new ArrayList<>();
        Iterator<StagePlugin> it = ServiceLoader.load(StagePlugin.class, host).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                candidates.add(Declared.of(it.next()));
            } catch (ServiceConfigurationError e) {
                rejected.add(new RejectedPlugin("?", "class path", e.getMessage()));
                listener.pluginRejected("?", "class path", e.getMessage());
            }
        }
        ExternalPlugins external =
                ExternalPlugins.scan(
                        pluginPaths,
                        allowedSha256.stream()
                                .map(d -> d.toLowerCase(java.util.Locale.ROOT))
                                .collect(Collectors.toUnmodifiableSet()),
                        host,
                        listener,
                        index);
        index.save();
        candidates.addAll(external.declared);
        rejected.addAll(external.rejected);
        PluginRegistry accepted = accept(candidates, rejected, listener);
        return new PluginRegistry(accepted.plugins, accepted.rejected, external.pinnedOut);
    }

    public static PluginRegistry builtIn() {
        return discover(PluginRegistry.class.getClassLoader(), LifecycleListener.NONE);
    }

    private static Optional<String> compatibilityProblem(Declared plugin) {
        if (plugin.infoProblem() != null) return Optional.of(plugin.infoProblem());
        PluginInfo info = plugin.info();
        if (!info.spiRange().matches(Spi.VERSION)) {
            return Optional.of(
                    "plugin "
                            + info.coordinates()
                            + " supports SPI "
                            + info.spiRange()
                            + " but this audioflow provides SPI "
                            + Spi.VERSION
                            + "; use a plugin version built for SPI "
                            + Spi.VERSION.major()
                            + ".x");
        }
        String expected = kindInterface(info.kind()).getName();
        if (!plugin.implementsKind()) {
            return Optional.of(
                    "declares kind " + info.kind().label() + " but does not implement " + expected);
        }
        return Optional.empty();
    }

    static Class<?> kindInterface(StageKind kind) {
        return switch (kind) {
            case DECODER -> io.audioflow.api.AudioDecoder.class;
            case PROCESSOR -> io.audioflow.api.AudioProcessor.class;
            case ANALYZER -> io.audioflow.api.AudioAnalyzer.class;
            case DECISION -> io.audioflow.api.DecisionEngine.class;
        };
    }

    /** The SHA-256 of a plugin source that is a jar file (what pinning compares). */
    public static Optional<String> sha256(String source) {
        if (!source.endsWith(".jar")) return Optional.empty();
        try {
            java.nio.file.Path jar =
                    source.startsWith("file:")
                            ? java.nio.file.Path.of(java.net.URI.create(source))
                            : java.nio.file.Path.of(source);
            return Optional.of(ExternalPlugins.sha256(jar));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String sourceOf(Class<?> type) {
        var domain = type.getProtectionDomain();
        if (domain == null
                || domain.getCodeSource() == null
                || domain.getCodeSource().getLocation() == null) {
            return "built-in";
        }
        return domain.getCodeSource().getLocation().toString();
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    public List<RejectedPlugin> rejected() {
        return rejected;
    }

    /** Jars that pinning refused unopened: what a pipeline asks for may be in one. */
    public List<PinnedOutJar> pinnedOut() {
        return pinnedOut;
    }

    public List<String> names() {
        return plugins.stream().map(p -> p.info().name()).distinct().sorted().toList();
    }

    public List<String> namesOfKind(io.audioflow.api.StageKind kind) {
        return plugins.stream()
                .filter(p -> p.info().kind() == kind)
                .map(p -> p.info().name())
                .distinct()
                .sorted()
                .toList();
    }

    /** All installed versions of a plugin, newest first. */
    public List<LoadedPlugin> versionsOf(String name) {
        return plugins.stream().filter(p -> p.info().name().equals(name)).toList();
    }

    /** The newest installed version of {@code name} that satisfies {@code constraint}. */
    public Optional<LoadedPlugin> find(String name, VersionConstraint constraint) {
        return versionsOf(name).stream()
                .filter(p -> constraint.matches(p.info().version()))
                .findFirst();
    }

    /** Like {@link #find} but an exact version, for operators restoring what validation chose. */
    public LoadedPlugin require(String name, SemVer version) {
        return versionsOf(name).stream()
                .filter(p -> p.info().version().equals(version))
                .findFirst()
                .orElseThrow(
                        () ->
                                new PipelineException(
                                        ErrorCode.UNKNOWN_PROCESSOR,
                                        "plugin "
                                                + name
                                                + "@"
                                                + version
                                                + " is not installed here; installed: "
                                                + describeVersions(name)));
    }

    public String describeVersions(String name) {
        List<LoadedPlugin> versions = versionsOf(name);
        return versions.isEmpty()
                ? "none"
                : versions.stream()
                        .map(p -> p.info().coordinates())
                        .collect(Collectors.joining(", "));
    }
}
