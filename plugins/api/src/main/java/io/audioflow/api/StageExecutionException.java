package io.audioflow.api;

/** A stage failed on one recording; the recording fails, the job does not. */
public class StageExecutionException extends AudioflowException {

    public StageExecutionException(ErrorCode code, String message) {
        super(code, message, null);
    }

    public StageExecutionException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
