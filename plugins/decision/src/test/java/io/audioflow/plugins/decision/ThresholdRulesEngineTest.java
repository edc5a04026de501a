package io.audioflow.plugins.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.ConfigProblem;
import io.audioflow.api.Decision;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdRulesEngineTest {

    private final ThresholdRulesEngine engine = new ThresholdRulesEngine();

    private static final List<Object> RULES =
            List.of(
                    Map.of(
                            "name",
                            "too_quiet",
                            "metric",
                            "temporal.rms_dbfs",
                            "below",
                            -50.0,
                            "verdict",
                            "reject"),
                    Map.of(
                            "name",
                            "low_level",
                            "metric",
                            "temporal.rms_dbfs",
                            "below",
                            -35L,
                            "verdict",
                            "enhance"),
                    Map.of(
                            "name",
                            "clipping",
                            "metric",
                            "temporal.clipping_ratio",
                            "above",
                            0.001,
                            "verdict",
                            "reject"));

    private StageContext context(String onMissing) {
        return StageContext.of(
                "decision",
                StageConfig.withDefaults(
                        Map.of("rules", RULES, "on_missing_metric", onMissing),
                        engine.info().options()));
    }

    @Test
    void acceptsWhenNoRuleFires() {
        Decision d =
                engine.decide(
                        Map.of("temporal.rms_dbfs", -20.0, "temporal.clipping_ratio", 0.0),
                        context("reject"));
        assertThat(d.verdict()).isEqualTo(Verdict.ACCEPT);
        assertThat(d.reasons()).isEmpty();
    }

    @Test
    void theMostSevereFiredRuleDecidesAndEveryFiredRuleIsAReason() {
        Decision d =
                engine.decide(
                        Map.of("temporal.rms_dbfs", -40.0, "temporal.clipping_ratio", 0.01),
                        context("reject"));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.reasons()).extracting(r -> r.rule()).containsExactly("low_level", "clipping");
        assertThat(d.reasons().get(0).value()).isEqualTo(-40.0);
        assertThat(d.reasons().get(0).threshold()).isEqualTo(-35.0);
        assertThat(d.reasons().get(0).comparison()).isEqualTo("below");
    }

    @Test
    void aMissingMetricFollowsTheConfiguredPolicy() {
        Map<String, Double> onlyRms = Map.of("temporal.rms_dbfs", -20.0);
        assertThat(engine.decide(onlyRms, context("reject")).verdict()).isEqualTo(Verdict.REJECT);
        assertThat(engine.decide(onlyRms, context("reject")).reasons().get(0).comparison())
                .isEqualTo("missing");
        assertThat(engine.decide(onlyRms, context("enhance")).verdict()).isEqualTo(Verdict.ENHANCE);
        assertThat(engine.decide(onlyRms, context("ignore")).verdict()).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void reportsEveryBrokenRuleWithItsKeyAndAFix() {
        List<Object> broken =
                List.of(
                        Map.of("name", "a", "metric", "rms", "below", 1.0, "verdict", "reject"),
                        Map.of("name", "b", "metric", "temporal.rms_dbfs", "verdict", "reject"),
                        Map.of(
                                "name",
                                "c",
                                "metric",
                                "temporal.rms_dbfs",
                                "above",
                                1.0,
                                "verdict",
                                "maybe"),
                        Map.of(
                                "name",
                                "d",
                                "metric",
                                "temporal.rms_dbfs",
                                "above",
                                "high",
                                "verdict",
                                "reject"),
                        Map.of(
                                "name",
                                "e",
                                "metric",
                                "temporal.rms_dbfs",
                                "above",
                                1.0,
                                "verdict",
                                "reject",
                                "colour",
                                "red"));
        List<ConfigProblem> problems = engine.validate(StageConfig.of(Map.of("rules", broken)));
        assertThat(problems)
                .extracting(ConfigProblem::key)
                .containsExactly(
                        "rules.0.metric",
                        "rules.1",
                        "rules.2.verdict",
                        "rules.3.above",
                        "rules.4.colour");
        assertThat(problems).allSatisfy(p -> assertThat(p.fix()).isNotBlank());
    }

    @Test
    void listsTheMetricsItsRulesNeedForValidation() {
        assertThat(engine.referencedMetrics(context("reject").config()))
                .containsExactly("temporal.rms_dbfs", "temporal.clipping_ratio");
    }
}
