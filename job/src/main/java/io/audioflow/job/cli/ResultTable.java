package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Results as a terminal table: one row per recording, one column per metric. */
final class ResultTable {

    /** The columns people look at first: what {@code demo} and {@code tail} show. */
    static final List<String> SUMMARY =
            List.of(
                    "loudness.integrated_lufs",
                    "loudness.true_peak_dbtp",
                    "snr.wada_db",
                    "pitch.median_hz",
                    "vad.speech_ratio");

    private ResultTable() {}

    static void print(List<JsonNode> results, PrintWriter out) {
        TreeSet<String> metrics = new TreeSet<>();
        for (JsonNode r : results) r.path("metrics").fieldNames().forEachRemaining(metrics::add);
        print(results, List.copyOf(metrics), out);
    }

    /** Only the named metrics, in this order: a table that fits a terminal. */
    static void print(List<JsonNode> results, List<String> metrics, PrintWriter out) {
        List<String> header = header(metrics);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : results) rows.add(row(r, metrics));
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows)
                widths[i] = Math.max(widths[i], i == header.size() - 1 ? 0 : row.get(i).length());
        }
        line(header, widths, out);
        rows.forEach(row -> line(row, widths, out));
    }

    /**
     * A table printed as results arrive ({@code tail}): the widths cannot wait for every row, so
     * they are fixed up front and a longer cell just pushes its line out.
     */
    static final class Streaming {
        private static final int ID_WIDTH = 28;
        private final List<String> metrics;
        private final int[] widths;
        private final PrintWriter out;

        Streaming(List<String> metrics, PrintWriter out) {
            this.metrics = metrics;
            this.out = out;
            List<String> header = header(metrics);
            widths = new int[header.size()];
            for (int i = 0; i < widths.length; i++)
                widths[i] = Math.max(header.get(i).length(), i == 0 ? ID_WIDTH : 7);
            line(header, widths, out);
        }

        void add(JsonNode result) {
            line(row(result, metrics), widths, out);
        }
    }

    private static List<String> header(List<String> metrics) {
        List<String> header = new ArrayList<>(List.of("recording", "verdict", "duration_s"));
        header.addAll(metrics);
        header.add("reasons / error");
        return header;
    }

    private static List<String> row(JsonNode r, List<String> metrics) {
        List<String> row = new ArrayList<>();
        row.add(r.path("recording_id").asText());
        row.add(r.has("error") ? "error" : r.path("decision").path("verdict").asText("-"));
        row.add(number(r.path("duration_s")));
        for (String m : metrics) row.add(number(r.path("metrics").path(m)));
        row.add(
                r.has("error")
                        ? r.path("error").path("code").asText()
                                + ": "
                                + r.path("error").path("message").asText()
                        : reasons(r));
        return row;
    }

    private static String reasons(JsonNode r) {
        StringBuilder s = new StringBuilder();
        for (Iterator<JsonNode> it = r.path("decision").path("reasons").elements();
                it.hasNext(); ) {
            JsonNode reason = it.next();
            if (s.length() > 0) s.append("; ");
            s.append(reason.path("rule").asText())
                    .append(" (")
                    .append(reason.path("metric").asText())
                    .append(' ')
                    .append(reason.path("comparison").asText())
                    .append(' ')
                    .append(number(reason.path("threshold")))
                    .append(')');
        }
        return s.toString();
    }

    private static String number(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return "-";
        double v = n.asDouble();
        return Math.abs(v) >= 100 || v == Math.rint(v)
                ? String.format("%.1f", v)
                : String.format("%.4g", v);
    }

    private static void line(List<String> cells, int[] widths, PrintWriter out) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) s.append("  ");
            s.append(
                    i == cells.size() - 1
                            ? cells.get(i)
                            : String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        out.println(s.toString().stripTrailing());
    }
}
