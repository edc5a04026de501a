package io.audioflow.job.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.suite.PipelineSuite.Case;
import io.audioflow.job.suite.PipelineSuite.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one case's result came to: the verdict it got (or its error code) and every expectation it
 * missed, each said as a line a pipeline author can act on.
 */
public record CaseOutcome(Case testCase, String got, List<String> failures) {

    public CaseOutcome {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** Checks {@code result} (one recording's result object) against what {@code c} expects. */
    public static CaseOutcome of(Case c, JsonNode result) {
        List<String> failures = new ArrayList<>();
        JsonNode error = result.path("error");
        if (c.error() != null) {
            if (!error.isObject())
                failures.add("expected error `" + c.error() + "`, but it was analysed");
            else if (!c.error().equals(error.path("code").asText()))
                failures.add(
                        "expected error `"
                                + c.error()
                                + "`, got `"
                                + error.path("code").asText()
                                + "`: "
                                + error.path("message").asText());
        } else if (error.isObject()) {
            failures.add(
                    "could not be analysed: "
                            + error.path("code").asText()
                            + " at "
                            + error.path("stage").asText()
                            + ": "
                            + error.path("message").asText());
        }
        JsonNode decision = result.path("decision");
        String verdict = decision.path("verdict").asText("-");
        // A recording that failed is shown by its error, not by the verdict on its missing metrics.
        String got = error.isObject() ? error.path("code").asText() : verdict;
        List<String> rules = new ArrayList<>();
        decision.path("reasons").forEach(r -> rules.add(r.path("rule").asText()));
        if (c.verdict() != null && !c.verdict().equals(verdict))
            failures.add(
                    "verdict: expected "
                            + c.verdict()
                            + ", got "
                            + verdict
                            + (rules.isEmpty()
                                    ? ""
                                    : " (reasons: " + String.join(", ", rules) + ")"));
        for (String rule : c.reasons())
            if (!rules.contains(rule))
                failures.add(
                        "reason `"
                                + rule
                                + "` did not fire"
                                + (rules.isEmpty()
                                        ? ""
                                        : " (fired: " + String.join(", ", rules) + ")"));
        JsonNode metrics = result.path("metrics");
        for (Map.Entry<String, Range> e : new java.util.TreeMap<>(c.metrics()).entrySet()) {
            String key = e.getKey();
            Range range = e.getValue();
            if (!metrics.has(key)) {
                if (!error.isObject())
                    failures.add(
                            "metric `"
                                    + key
                                    + "` is not in the result; it has: "
                                    + String.join(", ", new TreeSet<>(fieldNames(metrics))));
                continue;
            }
            JsonNode value = metrics.get(key);
            if (range.expectsNull()) {
                if (!value.isNull()) failures.add(key + ": expected null, got " + value.asDouble());
            } else if (value.isNull()) {
                failures.add(key + ": null (no value), expected " + range);
            } else if (!range.contains(value.asDouble())) {
                failures.add(key + ": " + value.asDouble() + " is not in " + range);
            }
        }
        return new CaseOutcome(c, got, failures);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
