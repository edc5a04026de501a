package io.audioflow.plugins.decision;

import io.audioflow.api.ConfigOption;
import io.audioflow.api.ConfigProblem;
import io.audioflow.api.Decision;
import io.audioflow.api.DecisionEngine;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.Reason;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.ValidationException;
import io.audioflow.api.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Threshold rules over {@code <stage>.<metric>} keys. The verdict is the most severe one among the
 * rules that fire (reject over enhance over accept); every fired rule is a reason.
 */
public final class ThresholdRulesEngine implements DecisionEngine {

    private static final PluginInfo INFO =
            PluginInfo.builder("rules", "1.0.0", StageKind.DECISION)
                    .description("Accept / enhance / reject from threshold rules on metrics")
                    .options(
                            ConfigOption.list(
                                    "rules", "list of {name, metric, below|above, verdict}"),
                            ConfigOption.choice(
                                    "on_missing_metric",
                                    "reject",
                                    List.of("ignore", "enhance", "reject"),
                                    "verdict when a rule's metric was not produced (its stage failed or was skipped)"))
                    .build();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public List<ConfigProblem> validate(StageConfig config) {
        return RuleSet.parse(config).problems;
    }

    @Override
    public List<String> referencedMetrics(StageConfig config) {
        return RuleSet.parse(config).rules.stream().map(Rule::metric).distinct().toList();
    }

    @Override
    public Decision decide(Map<String, Double> metrics, StageContext context) {
        RuleSet set = RuleSet.parse(context.config());
        if (!set.problems.isEmpty()) {
            throw new ValidationException(
                    ErrorCode.INVALID_CONFIG, "invalid rules: " + set.problems.get(0).message());
        }
        String onMissing = context.config().getString("on_missing_metric");
        Verdict verdict = Verdict.ACCEPT;
        List<Reason> reasons = new ArrayList<>();
        for (Rule rule : set.rules) {
            Double value = metrics.get(rule.metric());
            if (value == null || value.isNaN()) {
                if (!onMissing.equals("ignore")) {
                    Verdict missing = Verdict.parse(onMissing);
                    reasons.add(
                            new Reason(
                                    rule.name(),
                                    rule.metric(),
                                    Double.NaN,
                                    "missing",
                                    rule.threshold(),
                                    missing));
                    verdict = verdict.worst(missing);
                }
            } else if (rule.fires(value)) {
                reasons.add(rule.reason(value));
                verdict = verdict.worst(rule.verdict());
            }
        }
        return new Decision(verdict, reasons);
    }
}
