package io.audioflow.api;

/** Base of every error audioflow reports; each carries a stable {@link ErrorCode}. */
public abstract class AudioflowException extends RuntimeException {

    private final ErrorCode code;

    protected AudioflowException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
