package io.audioflow.api;

import java.util.List;
import java.util.Map;

/** Maps a recording's metrics to a verdict with reasons. */
public interface DecisionEngine extends StagePlugin {

    /**
     * @param metrics every metric of the recording, keyed {@code <stage>.<metric>}
     */
    Decision decide(Map<String, Double> metrics, StageContext context);

    /**
     * The {@code <stage>.<metric>} keys the configuration refers to, so that validation can check
     * each one is produced upstream before the job runs.
     */
    default List<String> referencedMetrics(StageConfig config) {
        return List.of();
    }
}
