package io.audioflow.pipeline.definition;

/** One thing wrong with a pipeline, where it is and what to do about it. */
public record Problem(Severity severity, SourcePosition at, String message, String fix) {

    public enum Severity {
        ERROR,
        WARNING
    }

    @Override
    public String toString() {
        String text =
                at + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
        return fix == null || fix.isEmpty() ? text : text + "\n    fix: " + fix;
    }
}
