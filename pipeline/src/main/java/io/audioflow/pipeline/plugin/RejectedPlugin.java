package io.audioflow.pipeline.plugin;

/** A plugin candidate that was found but not loaded, and why. */
public record RejectedPlugin(String candidate, String source, String reason)
        implements java.io.Serializable {}
