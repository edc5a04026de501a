package io.audioflow.job.replay;

/**
 * The recording id a replay publishes under: the original id and the attempt, so that the job
 * (which keeps a failed recording's id closed for a while) analyses it as a new recording, every
 * attempt is traceable to its original, and publishing the same attempt twice is recognisable.
 */
public record ReplayKey(String original, int attempt) {

    static final String SEPARATOR = "~replay-";

    public String key() {
        return original + SEPARATOR + attempt;
    }

    /**
     * The attempt that replays a dead letter with this key: the first for an original recording,
     * the next for a replay that failed again.
     */
    public static ReplayKey after(String deadLetterKey) {
        int at = deadLetterKey.lastIndexOf(SEPARATOR);
        if (at > 0) {
            try {
                int attempt = Integer.parseInt(deadLetterKey.substring(at + SEPARATOR.length()));
                return new ReplayKey(deadLetterKey.substring(0, at), attempt + 1);
            } catch (NumberFormatException e) {
                // an id that merely contains the separator: an original
            }
        }
        return new ReplayKey(deadLetterKey, 1);
    }
}
