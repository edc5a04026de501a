package io.audioflow.plugins.decision;

import io.audioflow.api.Reason;
import io.audioflow.api.Verdict;

/**
 * One threshold rule: fires when {@code metric} is below (or above) {@code threshold}.
 *
 * @param below true for "fires when value < threshold", false for "value > threshold"
 */
record Rule(String name, String metric, boolean below, double threshold, Verdict verdict) {

    boolean fires(double value) {
        return below ? value < threshold : value > threshold;
    }

    Reason reason(double value) {
        return new Reason(name, metric, value, below ? "below" : "above", threshold, verdict);
    }
}
