package io.audioflow.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Results of many recordings summarised for analysts: the verdict mix, how loudness, SNR and pitch
 * are spread, which rules fire, and the worst recordings with their reasons.
 */
public final class ResultsPage {

    private static final List<String> VERDICTS = List.of("accept", "enhance", "reject");
    private static final int WORST = 25;
    private static final int BINS = 20;

    /** The histograms: metric key, and what its axis says. */
    private static final Map<String, String> SPREADS =
            Map.of(
                    "loudness.integrated_lufs", "integrated loudness, LUFS",
                    "snr.wada_db", "WADA SNR, dB",
                    "pitch.median_hz", "median pitch, Hz");

    private ResultsPage() {}

    public static void printSummary(List<JsonNode> results, PrintWriter out) {
        out.printf("%d recordings%n", results.size());
        verdictCounts(results).forEach((v, n) -> out.printf("  %-9s %d%n", v, n));
        ShadowComparison shadows = ShadowComparison.of(results);
        if (!shadows.isEmpty())
            out.printf(
                    "shadows: %d recording(s) compared, %d verdict flip(s)%n",
                    shadows.withShadow(), shadows.flips().size());
        out.flush();
    }

    public static String html(List<JsonNode> results, String source) {
        Map<String, Long> verdicts = verdictCounts(results);
        List<String[]> figures = new ArrayList<>();
        figures.add(new String[] {"recordings", String.valueOf(results.size())});
        verdicts.forEach((v, n) -> figures.add(new String[] {v, String.valueOf(n)}));
        figures.add(
                new String[] {
                    "incomplete",
                    String.valueOf(
                            results.stream()
                                    .filter(r -> !r.path("complete").asBoolean(true))
                                    .count())
                });
        HtmlPage page =
                new HtmlPage("audioflow results")
                        .paragraph(source)
                        .figures(figures)
                        .heading("Verdicts")
                        .chart(
                                Charts.bars(
                                        "Recordings by verdict",
                                        "recordings",
                                        new ArrayList<>(verdicts.keySet()),
                                        verdicts.values().stream().map(Long::doubleValue).toList()),
                                "recordings by verdict");
        for (String key : List.of("loudness.integrated_lufs", "snr.wada_db", "pitch.median_hz")) {
            List<Double> values = finite(results, key);
            page.heading(SPREADS.get(key));
            if (values.isEmpty()) page.paragraph("No recording has `" + key + "`.");
            else
                page.chart(
                        Charts.histogram(key, SPREADS.get(key), values, BINS),
                        "histogram of " + key);
        }
        page.heading("Rules that fired")
                .table(
                        List.of("rule", "verdict", "recordings"),
                        rulesFired(results).stream()
                                .map(f -> List.of(f.rule(), f.verdict(), String.valueOf(f.count())))
                                .toList());
        page.heading("Worst recordings")
                .paragraph(
                        "Failures first, then rejects, then recordings to enhance; more reasons"
                                + " and a lower SNR rank worse.")
                .table(
                        List.of("recording", "outcome", "reasons", "loudness LUFS", "SNR dB"),
                        worst(results).stream().map(ResultsPage::worstRow).toList());
        shadowSection(page, ShadowComparison.of(results));
        return page.render();
    }

    /** Only for results with shadows: how their metrics differ, and whose verdict would flip. */
    private static void shadowSection(HtmlPage page, ShadowComparison shadows) {
        if (shadows.isEmpty()) return;
        page.heading("Shadow stages: metric deltas")
                .paragraph(
                        "Shadow minus live, over the "
                                + shadows.withShadow()
                                + " recordings with shadows.")
                .table(
                        List.of(
                                "metric",
                                "recordings",
                                "identical",
                                "mean delta",
                                "largest |delta|"),
                        shadows.deltas().entrySet().stream()
                                .map(
                                        e ->
                                                List.of(
                                                        e.getKey(),
                                                        String.valueOf(e.getValue().size()),
                                                        String.valueOf(
                                                                e.getValue().stream()
                                                                        .filter(d -> d == 0)
                                                                        .count()),
                                                        format(
                                                                e.getValue().stream()
                                                                        .mapToDouble(d -> d)
                                                                        .average()
                                                                        .orElse(0)),
                                                        format(
                                                                e.getValue().stream()
                                                                        .mapToDouble(Math::abs)
                                                                        .max()
                                                                        .orElse(0))))
                                .toList());
        shadows.deltas()
                .forEach(
                        (key, values) -> {
                            if (values.stream().anyMatch(d -> d != 0))
                                page.chart(
                                        Charts.histogram(
                                                "shadow - live: " + key,
                                                key + " (shadow - live)",
                                                values,
                                                BINS),
                                        "histogram of the shadow's delta for " + key);
                        });
        page.heading("Shadow stages: verdict flips")
                .paragraph(
                        shadows.flips().size()
                                + " recording(s) would get another verdict with the shadows.")
                .table(
                        List.of("recording", "live", "shadow", "live reasons", "shadow reasons"),
                        shadows.flips().stream()
                                .map(
                                        f ->
                                                List.of(
                                                        f.recordingId(),
                                                        f.live(),
                                                        f.shadow(),
                                                        f.liveRules(),
                                                        f.shadowRules()))
                                .toList());
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static Map<String, Long> verdictCounts(List<JsonNode> results) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String v : VERDICTS) counts.put(v, 0L);
        for (JsonNode r : results) {
            String v = outcome(r);
            counts.merge(v, 1L, Long::sum);
        }
        return counts;
    }

    /** The verdict, or {@code error} for a recording a stage failed on without a verdict. */
    private static String outcome(JsonNode r) {
        String verdict = r.path("decision").path("verdict").asText("");
        if (!verdict.isEmpty()) return verdict;
        return r.has("error") ? "error" : "none";
    }

    private static List<Double> finite(List<JsonNode> results, String key) {
        List<Double> values = new ArrayList<>();
        for (JsonNode r : results) {
            JsonNode v = r.path("metrics").path(key);
            if (v.isNumber() && Double.isFinite(v.asDouble())) values.add(v.asDouble());
        }
        return values;
    }

    private record RuleFired(String rule, String verdict, long count) {}

    private static List<RuleFired> rulesFired(List<JsonNode> results) {
        Map<List<String>, Long> byRule = new LinkedHashMap<>();
        for (JsonNode r : results)
            for (JsonNode reason : r.path("decision").path("reasons"))
                byRule.merge(
                        List.of(reason.path("rule").asText(), reason.path("verdict").asText()),
                        1L,
                        Long::sum);
        return byRule.entrySet().stream()
                .map(e -> new RuleFired(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                .sorted(Comparator.comparingLong(RuleFired::count).reversed())
                .toList();
    }

    private static List<JsonNode> worst(List<JsonNode> results) {
        Comparator<JsonNode> order =
                Comparator.<JsonNode>comparingInt(r -> severity(outcome(r)))
                        .thenComparing(r -> -r.path("decision").path("reasons").size())
                        .thenComparingDouble(
                                r -> r.path("metrics").path("snr.wada_db").asDouble(1e9));
        return results.stream()
                .filter(r -> !outcome(r).equals("accept"))
                .sorted(order)
                .limit(WORST)
                .toList();
    }

    private static int severity(String outcome) {
        return switch (outcome) {
            case "error" -> 0;
            case "reject" -> 1;
            case "enhance" -> 2;
            default -> 3;
        };
    }

    private static List<String> worstRow(JsonNode r) {
        List<String> reasons = new ArrayList<>();
        for (JsonNode reason : r.path("decision").path("reasons")) {
            reasons.add(
                    String.format(
                            Locale.ROOT,
                            "%s: %s %s %s %s",
                            reason.path("rule").asText(),
                            reason.path("metric").asText(),
                            number(reason.path("value")),
                            reason.path("comparison").asText(),
                            number(reason.path("threshold"))));
        }
        if (r.has("error"))
            reasons.add(
                    0,
                    r.path("error").path("code").asText()
                            + ": "
                            + r.path("error").path("message").asText());
        return List.of(
                r.path("recording_id").asText(),
                outcome(r),
                String.join("; ", reasons),
                number(r.path("metrics").path("loudness.integrated_lufs")),
                number(r.path("metrics").path("snr.wada_db")));
    }

    private static String number(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.2f", v.asDouble()) : "–";
    }
}
