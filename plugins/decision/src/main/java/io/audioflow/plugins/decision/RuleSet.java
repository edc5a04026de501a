package io.audioflow.plugins.decision;

import io.audioflow.api.ConfigProblem;
import io.audioflow.api.StageConfig;
import io.audioflow.api.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code rules:} list of a decision stage's config, collecting every problem. */
final class RuleSet {

    private static final Set<String> RULE_KEYS =
            Set.of("name", "metric", "below", "above", "verdict");

    final List<Rule> rules = new ArrayList<>();
    final List<ConfigProblem> problems = new ArrayList<>();

    static RuleSet parse(StageConfig config) {
        RuleSet set = new RuleSet();
        List<Object> raw = config.getList("rules");
        for (int i = 0; i < raw.size(); i++) {
            set.parseRule(i, raw.get(i));
        }
        return set;
    }

    private void parseRule(int index, Object raw) {
        String at = "rules." + index;
        if (!(raw instanceof Map<?, ?> map)) {
            problems.add(
                    new ConfigProblem(
                            at,
                            "a rule must be a mapping",
                            "write `- {name: …, metric: stage.metric, below: N, verdict: reject}`"));
            return;
        }
        for (Object key : map.keySet()) {
            if (!RULE_KEYS.contains(String.valueOf(key))) {
                problems.add(
                        new ConfigProblem(
                                at + "." + key,
                                "unknown rule key `" + key + "`",
                                "allowed: " + String.join(", ", sorted(RULE_KEYS))));
            }
        }
        String name = map.get("name") == null ? "rule" + index : String.valueOf(map.get("name"));
        Object metric = map.get("metric");
        if (!(metric instanceof String m) || !m.matches("[a-z][a-z0-9_-]*\\.[a-z][a-z0-9_]*")) {
            problems.add(
                    new ConfigProblem(
                            at + ".metric",
                            "metric must be a `<stage>.<metric>` key, got `" + metric + "`",
                            "e.g. metric: temporal.rms_dbfs"));
            return;
        }
        Object below = map.get("below");
        Object above = map.get("above");
        if ((below == null) == (above == null)) {
            problems.add(
                    new ConfigProblem(
                            at,
                            "rule `" + name + "` needs exactly one of `below` or `above`",
                            "e.g. below: -40"));
            return;
        }
        Object threshold = below != null ? below : above;
        if (!(threshold instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            problems.add(
                    new ConfigProblem(
                            at + (below != null ? ".below" : ".above"),
                            "threshold must be a finite number, got `" + threshold + "`",
                            "e.g. below: -40"));
            return;
        }
        Verdict verdict;
        try {
            verdict = Verdict.parse(String.valueOf(map.get("verdict")));
        } catch (RuntimeException e) {
            problems.add(
                    new ConfigProblem(
                            at + ".verdict",
                            "verdict must be accept, enhance or reject, got `"
                                    + map.get("verdict")
                                    + "`",
                            "e.g. verdict: reject"));
            return;
        }
        rules.add(new Rule(name, m, below != null, n.doubleValue(), verdict));
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
