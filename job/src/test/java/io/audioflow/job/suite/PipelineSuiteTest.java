package io.audioflow.job.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code audioflow test}: the suite shipped for the default pipeline passes, a pipeline change that
 * moves a verdict fails it with the case and the reason (in the table, the exit code and the JUnit
 * XML a CI server reads), and a broken suite is refused at its lines, with the fix.
 */
class PipelineSuiteTest {

    private static final Path ROOT = Path.of("..");
    private static final Path SUITE = ROOT.resolve("test-data/suites/default.yaml");
    private static final CliRunner CLI = CliRunner.withEnv(Map.of());

    @Test
    void theShippedSuitePassesOnTheDefaultPipeline(@TempDir Path dir) throws Exception {
        Path junit = dir.resolve("reports/suite.xml");
        CliRunner.Run run = CLI.run("test", SUITE.toString(), "--junit", junit.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("8 case(s), 8 passed, 0 failed", "default 1.0.0")
                .contains("truncated_header")
                .doesNotContain("FAIL");

        Element suite = parse(junit).getDocumentElement();
        assertThat(suite.getAttribute("name")).isEqualTo("default-pipeline");
        assertThat(suite.getAttribute("tests")).isEqualTo("8");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(8);
        assertThat(suite.getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void aPipelineChangeThatMovesAVerdictFailsTheSuite(@TempDir Path dir) throws Exception {
        // Someone lowers the "too quiet" threshold from -50 to -70 dBFS.
        String pipeline = Files.readString(ROOT.resolve("config/pipeline.yaml"));
        String changed =
                pipeline.replace(
                        "{name: too_quiet, metric: temporal.rms_dbfs, below: -50,",
                        "{name: too_quiet, metric: temporal.rms_dbfs, below: -70,");
        assertThat(changed).isNotEqualTo(pipeline);
        Path changedFile = Files.writeString(dir.resolve("changed.yaml"), changed);
        Path junit = dir.resolve("suite.xml");

        CliRunner.Run run =
                CLI.run(
                        "test",
                        SUITE.toString(),
                        "--pipeline",
                        changedFile.toString(),
                        "--junit",
                        junit.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("quiet noise is rejected as too quiet and noisy")
                .contains("reason `too_quiet` did not fire (fired: ")
                .contains("8 case(s), 7 passed, 1 failed");
        Document xml = parse(junit);
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        NodeList failures = xml.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        Element failedCase = (Element) failures.item(0).getParentNode();
        assertThat(failedCase.getAttribute("name"))
                .isEqualTo("quiet noise is rejected as too quiet and noisy");
        assertThat(failures.item(0).getTextContent()).contains("too_quiet");
    }

    @Test
    void metricRangesVerdictsAndErrorsAreEachChecked(@TempDir Path dir) throws Exception {
        Path audio = ROOT.resolve("test-data/audio").toAbsolutePath().normalize();
        Path suite =
                Files.writeString(
                        dir.resolve("wrong.yaml"),
                        """
                        cases:
                          - audio: %1$s/sine-1k-16k-mono.wav
                            verdict: accept
                            metrics:
                              temporal.peak_dbfs: [-3, 0]
                              pitch.median_hz: [900, 1100]
                              temporal.no_such_metric: [0, 1]
                          - audio: %1$s/speechlike-44k-stereo.wav
                            error: truncated_header
                        """
                                .formatted(audio));
        CliRunner.Run run = CLI.run("test", suite.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("verdict: expected accept, got reject (reasons: little_speech)")
                .contains("temporal.peak_dbfs: -6.02")
                .contains("is not in [-3, 0]")
                .contains("pitch.median_hz: null (no value), expected [900, 1100]")
                .contains("metric `temporal.no_such_metric` is not in the result; it has: ")
                .contains("expected error `truncated_header`, but it was analysed")
                .contains("2 case(s), 0 passed, 2 failed");
    }

    @Test
    void aBrokenSuiteIsRefusedAtItsLinesWithTheFix(@TempDir Path dir) throws Exception {
        Files.write(
                dir.resolve("a.wav"),
                Files.readAllBytes(SUITE.resolveSibling("corrupt-header.wav")));
        Path suite =
                Files.writeString(
                        dir.resolve("broken.yaml"),
                        """
                        name: broken
                        cases:
                          - audio: a.wav
                            verdict: acept
                            metrics:
                              loudness.integrated_lufs: [-22, -24]
                              rms: [0, 1]
                              temporal.zcr: [low, 1]
                          - audio: missing.wav
                          - audoi: a.wav
                        """);
        CliRunner.Run run = CLI.run("test", suite.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "broken.yaml:4:",
                        "unknown verdict `acept`",
                        "fix: write accept, enhance or reject")
                .contains("broken.yaml:6:", "MIN -22.0 is above MAX -24.0", "fix: write [-24, -22]")
                .contains("broken.yaml:7:", "metric `rms`", "is not `<stage>.<metric>`")
                .contains("broken.yaml:8:", "`low` is not a number")
                .contains("broken.yaml:9:", "audio file `missing.wav` is not there")
                .contains("broken.yaml:10:", "unknown key `audoi`", "did you mean `audio`");
        assertThat(run.out()).isEmpty();
    }

    private static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }
}
