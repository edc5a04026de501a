package io.audioflow.job.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.profile.Profile;
import io.audioflow.job.profile.StageCost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A profiling run as a terminal table and as a self-contained HTML page. */
public final class ProfilePage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEADER =
            List.of(
                    "stage",
                    "processor",
                    "time ms",
                    "share",
                    "real-time factor",
                    "allocated MB",
                    "state KiB",
                    "failed",
                    "error rate");

    private ProfilePage() {}

    public static void printTable(Profile p, PrintWriter out) {
        List<List<String>> rows = stageRows(p);
        int[] widths = new int[HEADER.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = HEADER.get(i).length();
            for (List<String> r : rows) widths[i] = Math.max(widths[i], r.get(i).length());
        }
        printRow(HEADER, widths, out);
        for (List<String> r : rows) printRow(r, widths, out);
        out.println();
        for (String[] f : summary(p)) out.printf("%-22s %s%n", f[0], f[1]);
        out.flush();
    }

    private static void printRow(List<String> cells, int[] widths, PrintWriter out) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            line.append(i < 2 ? pad(c, widths[i]) : padLeft(c, widths[i])).append("  ");
        }
        out.println(line.toString().stripTrailing());
    }

    public static String html(Profile p) {
        List<String> names = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        List<Double> allocated = new ArrayList<>();
        for (StageCost s : p.stages()) {
            names.add(s.stage());
            millis.add(s.nanos() / 1e6);
            allocated.add(s.allocatedBytes() / 1e6);
        }
        names.add("overhead");
        millis.add(p.overheadNanos() / 1e6);
        HtmlPage page =
                new HtmlPage("audioflow profile: " + p.pipeline())
                        .figures(summary(p))
                        .heading("Time per stage")
                        .paragraph(
                                "T_total = Σ T_stage + overhead: every plugin call is charged to its"
                                        + " stage; overhead is reading files, handing blocks from"
                                        + " stage to stage and assembling results.")
                        .chart(
                                Charts.bars("Time per stage", "ms", names, millis),
                                "time per stage, ms")
                        .table(HEADER, stageRows(p))
                        .heading("Memory per stage")
                        .paragraph(
                                "Allocated: heap the stage's calls allocated over the run (garbage"
                                        + " the collector reclaims). State: the largest"
                                        + " per-recording state the stage checkpoints, which is"
                                        + " what one open recording holds in the streaming job.")
                        .chart(
                                Charts.bars(
                                        "Heap allocated per stage",
                                        "MB",
                                        names.subList(0, allocated.size()),
                                        allocated),
                                "allocated MB per stage")
                        .heading("Files")
                        .table(
                                List.of("file", "duration s", "verdict", "error", "key metrics"),
                                fileRows(p));
        return page.render();
    }

    private static List<String[]> summary(Profile p) {
        return List.of(
                new String[] {"files", String.valueOf(p.results().size())},
                new String[] {"audio", fmt("%.1f s", p.audioSeconds())},
                new String[] {"T_total", fmt("%.1f ms", p.totalNanos() / 1e6)},
                new String[] {"Σ T_stage", fmt("%.1f ms", p.stageNanos() / 1e6)},
                new String[] {"overhead", fmt("%.1f ms", p.overheadNanos() / 1e6)},
                new String[] {"real-time factor", fmt("%.0f×", p.realTimeFactor())},
                new String[] {"pipeline error rate E", fmt("%.3f", p.errorRate())});
    }

    private static List<List<String>> stageRows(Profile p) {
        List<List<String>> rows = new ArrayList<>();
        for (StageCost s : p.stages()) {
            rows.add(
                    List.of(
                            s.stage(),
                            s.processor(),
                            fmt("%.1f", s.nanos() / 1e6),
                            fmt(
                                    "%.1f%%",
                                    p.totalNanos() == 0 ? 0 : 100.0 * s.nanos() / p.totalNanos()),
                            fmt("%.0f×", s.realTimeFactor(p.audioSeconds())),
                            fmt("%.1f", s.allocatedBytes() / 1e6),
                            fmt("%.1f", s.stateBytes() / 1024.0),
                            s.failed() + "/" + s.attempted(),
                            fmt("%.3f", s.errorRate())));
        }
        return rows;
    }

    private static List<List<String>> fileRows(Profile p) {
        List<List<String>> rows = new ArrayList<>();
        for (String json : p.results()) {
            JsonNode r = tree(json);
            List<String> metrics = new ArrayList<>();
            for (String key :
                    List.of(
                            "loudness.integrated_lufs",
                            "snr.wada_db",
                            "pitch.median_hz",
                            "vad.speech_ratio")) {
                JsonNode v = r.path("metrics").path(key);
                if (v.isNumber()) metrics.add(key + " " + fmt("%.2f", v.asDouble()));
            }
            rows.add(
                    List.of(
                            r.path("recording_id").asText(),
                            r.path("duration_s").isNumber()
                                    ? fmt("%.2f", r.path("duration_s").asDouble())
                                    : "",
                            r.path("decision").path("verdict").asText(""),
                            r.path("error").path("code").asText(""),
                            String.join(", ", metrics)));
        }
        return rows;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
