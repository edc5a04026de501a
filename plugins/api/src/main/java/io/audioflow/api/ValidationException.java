package io.audioflow.api;

/** Input or configuration does not meet a stage's contract. */
public class ValidationException extends AudioflowException {

    public ValidationException(ErrorCode code, String message) {
        super(code, message, null);
    }

    public ValidationException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
