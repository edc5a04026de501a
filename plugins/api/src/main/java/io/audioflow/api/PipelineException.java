package io.audioflow.api;

/** A pipeline cannot be built or run as defined. */
public class PipelineException extends AudioflowException {

    public PipelineException(ErrorCode code, String message) {
        super(code, message, null);
    }

    public PipelineException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
