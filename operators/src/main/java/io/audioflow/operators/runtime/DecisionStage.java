package io.audioflow.operators.runtime;

import io.audioflow.api.Decision;
import io.audioflow.api.DecisionEngine;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The decision stage: the engine's verdict on every metric a recording's stages reported. */
public final class DecisionStage {

    private DecisionStage() {}

    public static Decision decide(
            DecisionEngine engine, StageSpec spec, List<StageResult> results) {
        return engine.decide(metricsOf(results), spec.context());
    }

    /** The recording's metrics under the keys results carry: {@code <stage>.<metric>}. */
    public static Map<String, Double> metricsOf(List<StageResult> results) {
        Map<String, Double> metrics = new TreeMap<>();
        for (StageResult r : results)
            r.metrics.forEach((k, v) -> metrics.put(r.stage + "." + k, v));
        return metrics;
    }
}
