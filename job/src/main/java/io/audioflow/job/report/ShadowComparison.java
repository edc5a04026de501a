package io.audioflow.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the shadow stages of a set of results would change: per metric, how far each shadow value
 * lies from the live one, and the recordings whose verdict the shadows would flip.
 *
 * @param deltas shadow minus live, by metric key, over the recordings where both are finite
 * @param flips recordings whose shadow verdict differs from the live one
 */
record ShadowComparison(Map<String, List<Double>> deltas, List<Flip> flips, int withShadow) {

    /** A recording whose verdict the shadows would change, with each side's rules. */
    record Flip(
            String recordingId, String live, String shadow, String liveRules, String shadowRules) {}

    static ShadowComparison of(List<JsonNode> results) {
        Map<String, List<Double>> deltas = new TreeMap<>();
        List<Flip> flips = new ArrayList<>();
        int withShadow = 0;
        for (JsonNode r : results) {
            JsonNode shadow = r.path("shadow");
            if (!shadow.isObject()) continue;
            withShadow++;
            shadow.fieldNames()
                    .forEachRemaining(
                            key -> {
                                JsonNode s = shadow.get(key);
                                JsonNode live = r.path("metrics").path(key);
                                if (key.indexOf('.') < 0 || !s.isNumber() || !live.isNumber())
                                    return;
                                deltas.computeIfAbsent(key, k -> new ArrayList<>())
                                        .add(s.asDouble() - live.asDouble());
                            });
            JsonNode decision = shadow.path("decision");
            String liveVerdict = r.path("decision").path("verdict").asText("");
            String shadowVerdict = decision.path("verdict").asText("");
            if (decision.isObject() && !shadowVerdict.equals(liveVerdict))
                flips.add(
                        new Flip(
                                r.path("recording_id").asText(),
                                liveVerdict,
                                shadowVerdict,
                                rules(r.path("decision")),
                                rules(decision)));
        }
        return new ShadowComparison(deltas, flips, withShadow);
    }

    boolean isEmpty() {
        return withShadow == 0;
    }

    private static String rules(JsonNode decision) {
        List<String> rules = new ArrayList<>();
        decision.path("reasons").forEach(r -> rules.add(r.path("rule").asText()));
        return rules.isEmpty() ? "–" : String.join(", ", rules);
    }
}
