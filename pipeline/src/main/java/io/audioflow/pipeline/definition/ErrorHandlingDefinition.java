package io.audioflow.pipeline.definition;

/**
 * A stage's {@code error_handling} block. {@code mode} is one of fail, skip, retry, fallback.
 *
 * @param fallback the processor to use instead, for {@code fallback}
 * @param fallbackAt where {@code fallback} is written; {@code at} when it is not
 */
public record ErrorHandlingDefinition(
        String mode,
        int attempts,
        long backoffMs,
        String fallback,
        SourcePosition at,
        SourcePosition fallbackAt)
        implements java.io.Serializable {

    public ErrorHandlingDefinition(
            String mode, int attempts, long backoffMs, String fallback, SourcePosition at) {
        this(mode, attempts, backoffMs, fallback, at, at);
    }

    public static ErrorHandlingDefinition defaultAt(SourcePosition at) {
        return new ErrorHandlingDefinition("fail", 1, 0, null, at);
    }
}
