package io.audioflow.api;

import java.util.List;

/**
 * Common contract of every stage plugin. Implementations need a public no-argument constructor
 * (they are found with {@link java.util.ServiceLoader}), must be stateless and thread-safe (one
 * instance serves every recording) and keep per-recording state only in the sessions they open.
 */
public interface StagePlugin {

    PluginInfo info();

    /**
     * Checks that go beyond the declared {@link ConfigOption}s (types, ranges and unknown keys are
     * checked by the host). Called at validation time, before any audio flows.
     */
    default List<ConfigProblem> validate(StageConfig config) {
        return List.of();
    }

    /**
     * Upstream products ({@link FrameTrack} names) this stage needs with the given config; the host
     * checks at validation time that a stage it depends on provides each one.
     */
    default List<String> consumes(StageConfig config) {
        return List.of();
    }

    /**
     * The versions of this plugin whose checkpointed sessions this version restores (SPI 1.4):
     * {@code audioflow plan} reads it to say whether a savepoint taken while an older version ran
     * restores into this one. The default is this major version, as semantic versioning promises
     * for minor and patch releases; a plugin that changed its state format in a minor release
     * narrows it, one whose new major still reads the old format widens it.
     */
    default VersionConstraint restoresStateOf() {
        int major = info().version().major();
        return VersionConstraint.parse(">=" + major + ".0.0 <" + (major + 1) + ".0.0");
    }
}
