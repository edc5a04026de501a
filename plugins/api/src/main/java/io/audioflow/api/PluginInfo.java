package io.audioflow.api;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a plugin is and what it needs. The host checks {@code spiRange} against {@link Spi#VERSION}
 * before it uses the plugin.
 *
 * @param name the name pipelines use in {@code processor:}, lower-kebab-case
 * @param dependencies names of plugins whose products this one needs
 * @param products per-frame products ({@link FrameTrack} names) an analyzer passes on with its
 *     input audio to the stages that depend on it; empty for most plugins
 */
public record PluginInfo(
        String name,
        SemVer version,
        VersionConstraint spiRange,
        StageKind kind,
        String description,
        List<MetricDefinition> metrics,
        List<ConfigOption> options,
        List<String> dependencies,
        List<String> products)
        implements Serializable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public PluginInfo {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "plugin name `" + name + "` must be lower-kebab-case ([a-z][a-z0-9-]*)");
        }
        metrics = List.copyOf(metrics);
        options = List.copyOf(options);
        dependencies = List.copyOf(dependencies);
        products = List.copyOf(products);
    }

    /** Without products: the shape of SPI 1.1, kept for plugins built against it. */
    public PluginInfo(
            String name,
            SemVer version,
            VersionConstraint spiRange,
            StageKind kind,
            String description,
            List<MetricDefinition> metrics,
            List<ConfigOption> options,
            List<String> dependencies) {
        this(name, version, spiRange, kind, description, metrics, options, dependencies, List.of());
    }

    /** "name@version", the form pipelines and provenance use. */
    public String coordinates() {
        return name + "@" + version;
    }

    public static Builder builder(String name, String version, StageKind kind) {
        return new Builder(name, SemVer.parse(version), kind);
    }

    /** Keeps plugin declarations readable: most plugins set only a few of the fields. */
    public static final class Builder {
        private final String name;
        private final SemVer version;
        private final StageKind kind;
        private VersionConstraint spiRange =
                VersionConstraint.parse("^" + Spi.VERSION.major() + ".0");
        private String description = "";
        private List<MetricDefinition> metrics = List.of();
        private List<ConfigOption> options = List.of();
        private List<String> dependencies = List.of();
        private List<String> products = List.of();

        private Builder(String name, SemVer version, StageKind kind) {
            this.name = name;
            this.version = version;
            this.kind = kind;
        }

        public Builder spiRange(String range) {
            this.spiRange = VersionConstraint.parse(range);
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder metrics(MetricDefinition... metrics) {
            this.metrics = List.of(metrics);
            return this;
        }

        public Builder options(ConfigOption... options) {
            this.options = List.of(options);
            return this;
        }

        public Builder dependencies(String... dependencies) {
            this.dependencies = List.of(dependencies);
            return this;
        }

        /**
         * Per-frame products ({@link FrameTrack} names, {@code <plugin>.<product>}) an analyzer
         * attaches to the audio it passes on to the stages that depend on it.
         */
        public Builder products(String... products) {
            this.products = List.of(products);
            return this;
        }

        public PluginInfo build() {
            return new PluginInfo(
                    name,
                    version,
                    spiRange,
                    kind,
                    description,
                    metrics,
                    options,
                    dependencies,
                    products);
        }
    }
}
