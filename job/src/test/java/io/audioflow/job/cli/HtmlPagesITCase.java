package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.testing.SameResults;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code profile} and {@code report}: the numbers they show are the pipeline's (the profiler's
 * results equal {@code analyze}'s), the time decomposes as documented, and the pages render with
 * every chart in headless Chromium (Debian's, which scripts/test installs).
 */
class HtmlPagesITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private final CliRunner cli = CliRunner.withEnv(Map.of());

    @Test
    void profileMeasuresWhatAnalyzeComputesAndItsPageRenders(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.wav");
        Files.write(corrupt, "RIFF\0\0\0\0WAVEjunk".getBytes());
        Path page = dir.resolve("profile.html");
        Path results = dir.resolve("profile.jsonl");
        CliRunner.Run run =
                cli.run(
                        "profile",
                        "--pipeline",
                        "../config/pipeline.yaml",
                        "-o",
                        page.toString(),
                        "--results",
                        results.toString(),
                        "../test-data/audio",
                        corrupt.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> stages =
                List.of(
                        "decode",
                        "temporal",
                        "loudness",
                        "preprocess",
                        "vad",
                        "spectral",
                        "snr",
                        "pitch",
                        "decision");
        for (String stage : stages) assertThat(run.out()).containsPattern("(?m)^" + stage + " ");

        // One corrupt file of eight: the decoder's error rate, and so the pipeline's, is 1/8.
        assertThat(run.out()).containsPattern("(?m)^decode .* 1/8 +0\\.125$");
        assertThat(number(run.out(), "pipeline error rate E")).isEqualTo(0.125);
        double total = number(run.out(), "T_total");
        double stageSum = number(run.out(), "Σ T_stage");
        double overhead = number(run.out(), "overhead");
        assertThat(stageSum + overhead).isCloseTo(total, org.assertj.core.data.Offset.offset(0.15));
        assertThat(overhead).isPositive();

        CliRunner.Run analyze =
                cli.run(
                        "analyze",
                        "--pipeline",
                        "../config/pipeline.yaml",
                        "../test-data/audio",
                        corrupt.toString());
        Map<String, JsonNode> expected = byId(analyze.out().lines().toList());
        Map<String, JsonNode> got = byId(Files.readAllLines(results));
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        for (var e : expected.entrySet()) {
            JsonNode r = got.get(e.getKey());
            SameResults.assertSameMetrics(
                    e.getKey(), r.path("metrics"), e.getValue().path("metrics"));
            assertThat(r.path("decision")).isEqualTo(e.getValue().path("decision"));
            assertThat(r.path("error").path("code"))
                    .isEqualTo(e.getValue().path("error").path("code"));
        }
        assertRendersWithCharts(page, dir, 2);
    }

    @Test
    void reportSummarisesResultsAndItsPageRenders(@TempDir Path dir) throws Exception {
        CliRunner.Run analyze =
                cli.run("analyze", "--pipeline", "../config/pipeline.yaml", "../test-data/audio");
        Path jsonl = dir.resolve("results.jsonl");
        Files.writeString(jsonl, analyze.out());
        List<JsonNode> results = new ArrayList<>(byId(analyze.out().lines().toList()).values());
        Map<String, Integer> verdicts = new HashMap<>();
        for (JsonNode r : results)
            verdicts.merge(r.path("decision").path("verdict").asText(), 1, Integer::sum);

        Path page = dir.resolve("report.html");
        CliRunner.Run run = cli.run("report", "-o", page.toString(), jsonl.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(results.size() + " recordings");
        for (var v : verdicts.entrySet())
            assertThat(run.out())
                    .containsPattern("(?m)^  " + v.getKey() + " +" + v.getValue() + "$");
        String html = Files.readString(page);
        assertThat(html).as("self-contained").doesNotContain("http://", "https://");
        for (JsonNode r : results)
            if (r.path("decision").path("verdict").asText().equals("reject"))
                assertThat(html).contains(r.path("recording_id").asText());
        // verdicts, and histograms of loudness, SNR and pitch
        assertRendersWithCharts(page, dir, 4);
    }

    private static double number(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " +(-?[0-9.]+)").matcher(out);
        assertThat(m.find()).as(label + " in " + out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static Map<String, JsonNode> byId(List<String> lines) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (String l : lines) {
            if (l.isBlank()) continue;
            JsonNode n = JSON.readTree(l);
            out.put(n.path("recording_id").asText(), n);
        }
        return out;
    }

    /**
     * Opens the page in headless Chromium: the page's own script marks the body once every chart
     * decoded, and the screenshot must hold more than a blank page.
     */
    private static void assertRendersWithCharts(Path page, Path dir, int charts) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            assertThat(System.getenv("CI"))
                    .as("CI has chromium: scripts/test installs it")
                    .isNull();
            Assumptions.abort("no " + CHROMIUM + " here; scripts/test installs it");
        }
        String html = Files.readString(page);
        assertThat(html.split("<img class=\"chart\"", -1)).hasSize(charts + 1);

        String dom = chromium(dir, "--dump-dom", page.toUri().toString());
        assertThat(dom).contains("data-charts-loaded=\"true\"");

        Path png = dir.resolve(page.getFileName() + ".png");
        chromium(dir, "--screenshot=" + png, "--window-size=1100,1600", page.toUri().toString());
        BufferedImage shot = ImageIO.read(png.toFile());
        long inked = 0;
        for (int y = 0; y < shot.getHeight(); y += 4)
            for (int x = 0; x < shot.getWidth(); x += 4)
                if ((shot.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) inked++;
        long sampled = (long) (shot.getWidth() / 4) * (shot.getHeight() / 4);
        assertThat(inked).as("pixels with ink").isGreaterThan(sampled / 20);
    }

    private static String chromium(Path dir, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                CHROMIUM.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--hide-scrollbars",
                                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        cmd.addAll(List.of(args));
        Process p =
                new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
        return out;
    }
}
