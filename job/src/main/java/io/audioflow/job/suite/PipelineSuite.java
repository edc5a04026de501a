package io.audioflow.job.suite;

import io.audioflow.pipeline.definition.SourcePosition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pipeline test suite: labelled audio with the verdicts and metric ranges a team expects of its
 * pipeline, so that a change to the pipeline can be gated in CI like a change to code.
 *
 * @param pipeline the pipeline the suite was written for, relative to the suite file; null when the
 *     suite leaves it to {@code --pipeline} or the default
 */
public record PipelineSuite(String name, Path pipeline, List<Case> cases) {

    public PipelineSuite {
        cases = List.copyOf(cases);
    }

    /**
     * One labelled recording and what its result must say; a null expectation is not checked.
     *
     * @param reasons decision rules that must be among the result's reasons
     * @param error the error code the result must carry (a recording expected to fail)
     * @param metrics {@code <stage>.<metric>} to the range its value must fall in
     */
    public record Case(
            String name,
            Path audio,
            SourcePosition at,
            String verdict,
            List<String> reasons,
            String error,
            Map<String, Range> metrics) {

        public Case {
            reasons = List.copyOf(reasons);
            metrics = Map.copyOf(metrics);
        }

        /** Whether anything is checked beyond "analysed without error". */
        public int checks() {
            return 1 + (verdict != null ? 1 : 0) + reasons.size() + metrics.size();
        }
    }

    /**
     * Where a metric must lie, both ends included; {@link #NULL} when the metric must be null (no
     * value, as pitch on silence).
     */
    public record Range(double min, double max) {

        public static final Range NULL = new Range(Double.NaN, Double.NaN);

        public boolean expectsNull() {
            return Double.isNaN(min);
        }

        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return expectsNull() ? "null" : "[" + format(min) + ", " + format(max) + "]";
        }

        static String format(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15
                    ? String.valueOf((long) v)
                    : String.valueOf(v);
        }
    }
}
