package io.audioflow.operators.functions;

import io.audioflow.api.AudioflowException;
import io.audioflow.api.ErrorCode;

/** Turns whatever a stage threw into the stable code and a message for results and the DLQ. */
final class StageFailures {

    private StageFailures() {}

    static String code(Throwable error) {
        return error instanceof AudioflowException af
                ? af.code().code()
                : ErrorCode.STAGE_FAILED.code();
    }

    static String message(Throwable error) {
        String message = error.getMessage();
        return error instanceof AudioflowException || message == null
                ? (message == null ? error.getClass().getName() : message)
                : error.getClass().getSimpleName() + ": " + message;
    }
}
