package io.audioflow.operators.model;

import java.io.Serializable;

/**
 * A stage's {@code error_handling}: what happens to a recording when the stage fails on it. The job
 * itself never fails because of one recording.
 *
 * @param attempts total tries for {@code retry} (first try included)
 * @param backoffMillis delay before the first retry, doubled for each further one
 * @param fallback processor (name or name@constraint) used by {@code fallback}
 */
public record ErrorPolicy(Mode mode, int attempts, long backoffMillis, String fallback)
        implements Serializable {

    public enum Mode {
        /** The recording's result carries the error; downstream stages report upstream_failed. */
        FAIL,
        /** The stage's metrics are left out and the result records the stage as skipped. */
        SKIP,
        /** Tries again with exponential backoff, then fails. */
        RETRY,
        /** Runs another processor instead. */
        FALLBACK
    }

    public static final ErrorPolicy FAIL = new ErrorPolicy(Mode.FAIL, 1, 0, null);

    /**
     * The form pipeline config digests cover, written out: a record's generated toString has no
     * specified format (this is the one it had when digests were first made), and it is linked
     * through invokedynamic on first use, which costs a short-lived CLI start-up time.
     */
    @Override
    public String toString() {
        return "ErrorPolicy[mode="
                + mode
                + ", attempts="
                + attempts
                + ", backoffMillis="
                + backoffMillis
                + ", fallback="
                + fallback
                + "]";
    }
}
