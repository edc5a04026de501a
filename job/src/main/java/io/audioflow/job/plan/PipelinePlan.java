package io.audioflow.job.plan;

import java.util.List;

/**
 * What redeploying a new pipeline from a savepoint of an old one does, as {@code audioflow plan}
 * reports it: which operators keep, gain and lose state, which state cannot be restored, and what
 * changes for the results' consumers.
 *
 * @param savepoint the savepoint compared against, or null when the old pipeline stood for it
 * @param kept operators in both, by uid (their state is restored)
 * @param added operators only the new pipeline has (they start empty)
 * @param dropped operators only the old pipeline (or the savepoint) has
 * @param stateDropped state the restore would have to leave behind: what needs {@code
 *     --allow-non-restored-state}
 * @param incompatible state under a kept uid that the new operator cannot read
 * @param versions processor version changes of kept stages, with what the plugin declares
 * @param contract changes the results' consumers see
 */
public record PipelinePlan(
        String from,
        String to,
        String savepoint,
        List<String> kept,
        List<String> added,
        List<String> dropped,
        List<String> stateDropped,
        List<String> incompatible,
        List<String> versions,
        Contract contract) {

    /** How a redeploy goes, and the plan command's exit code. */
    public enum Outcome {
        SAFE(0, "safe: every operator's state restores"),
        NEEDS_ALLOW_NON_RESTORED_STATE(
                1, "safe only with --allow-non-restored-state: some state would be dropped"),
        INCOMPATIBLE(2, "incompatible: some state cannot be restored into the new pipeline");

        public final int exitCode;
        public final String summary;

        Outcome(int exitCode, String summary) {
            this.exitCode = exitCode;
            this.summary = summary;
        }
    }

    /** Changes to the result contract: not a restore problem, but something consumers see. */
    public record Contract(
            List<String> metricsAdded,
            List<String> metricsRemoved,
            List<String> rules,
            List<String> topics) {

        public boolean isEmpty() {
            return metricsAdded.isEmpty()
                    && metricsRemoved.isEmpty()
                    && rules.isEmpty()
                    && topics.isEmpty();
        }
    }

    public Outcome outcome() {
        if (!incompatible.isEmpty()) return Outcome.INCOMPATIBLE;
        if (!stateDropped.isEmpty()) return Outcome.NEEDS_ALLOW_NON_RESTORED_STATE;
        return Outcome.SAFE;
    }
}
