package io.audioflow.pipeline.runtime;

import io.audioflow.api.Decision;
import io.audioflow.api.DecisionEngine;
import io.audioflow.operators.model.PipelineIdentity;
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

    /** Whether any stage of the pipeline runs a shadow: only then is a shadow verdict made. */
    public static boolean hasShadows(PipelineIdentity pipeline) {
        return pipeline.stages().stream().anyMatch(s -> s.shadow() != null);
    }

    /**
     * The verdict the pipeline would give with its shadows in place of the live processors: their
     * metrics over the live ones, decided by the decision's shadow (with its config) when it has
     * one, else by the decision itself.
     *
     * @param engine the decision's shadow engine when it has a shadow, else its own
     */
    public static Decision shadowDecision(
            DecisionEngine engine, StageSpec spec, List<StageResult> results) {
        Map<String, Double> metrics = metricsOf(results);
        for (StageResult r : results)
            r.shadowMetrics.forEach((k, v) -> metrics.put(r.stage + "." + k, v));
        StageSpec decides = spec.shadow() != null ? spec.shadow() : spec;
        return engine.decide(metrics, decides.context());
    }

    /** The recording's metrics under the keys results carry: {@code <stage>.<metric>}. */
    public static Map<String, Double> metricsOf(List<StageResult> results) {
        Map<String, Double> metrics = new TreeMap<>();
        for (StageResult r : results)
            r.metrics.forEach((k, v) -> metrics.put(r.stage + "." + k, v));
        return metrics;
    }
}
