package io.audioflow.api;

/** What running a stage on one recording came to. */
public sealed interface StageOutcome<T> {

    record Success<T>(T value) implements StageOutcome<T> {}

    record Skipped<T>(String reason) implements StageOutcome<T> {}

    record Failed<T>(ErrorCode code, String message, Throwable cause) implements StageOutcome<T> {

        public static <T> Failed<T> of(Throwable error) {
            ErrorCode code =
                    error instanceof AudioflowException af ? af.code() : ErrorCode.INTERNAL_ERROR;
            String message =
                    error.getMessage() == null
                            ? error.getClass().getSimpleName()
                            : error.getMessage();
            return new Failed<>(code, message, error);
        }
    }
}
