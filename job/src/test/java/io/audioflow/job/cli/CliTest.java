package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private static final String DEFAULT = "../config/pipeline.yaml";
    private final CliRunner cli = CliRunner.withEnv(Map.of());

    @Test
    void validateAcceptsTheDefaultPipelineWithAOneLineSummary() {
        CliRunner.Run run = cli.run("validate", DEFAULT);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip().lines())
                .singleElement()
                .asString()
                .contains("valid: pipeline `default` 1.0.0, 9 stages");
    }

    @Test
    void validateListsEveryProblemWithPositionAndFixAndExitsOne() {
        CliRunner.Run run =
                cli.run("validate", "../test-data/pipelines/invalid/15-retry-bad-attempts.yaml");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "15-retry-bad-attempts.yaml:13:17: error: `attempts` must be between 1 and 100, got 0")
                .contains("15-retry-bad-attempts.yaml:14:19: error: `backoff_ms`")
                .contains("fix: e.g. attempts: 3");
    }

    @Test
    void validateStrictFailsOnWarnings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reshuffle.yaml");
        Files.writeString(
                file,
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n  - {name: t, processor: temporal, dependencies: [decode], parallelism: 1}\n");
        CliRunner.Run lenient = cli.run("validate", file.toString());
        assertThat(lenient.exitCode()).isZero();
        assertThat(lenient.err())
                .contains(
                        "reshuffle.yaml:5:5: warning: stage `t` has parallelism 1 but its input `decode` has default");
        assertThat(lenient.out()).contains("1 warning(s)");
        CliRunner.Run strict = cli.run("validate", "--strict", file.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.err()).contains("1 warning(s) and --strict is set");
        assertThat(cli.run("validate", "--strict", DEFAULT).exitCode()).isZero();
    }

    @Test
    void controlSaysWhichBrokersDidNotAnswerAndExitsTwo() {
        CliRunner.Run run =
                cli.run(
                        "control",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--timeout-s",
                        "2",
                        "set",
                        "decision",
                        "rules.noisy.below=15");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains("no Kafka broker answered at 127.0.0.1:1", "--bootstrap-servers");
    }

    @Test
    void thePipelineComesFromTheEnvironmentWhenNotGiven() {
        CliRunner.Run run =
                CliRunner.withEnv(Map.of("PIPELINE_CONFIG_PATH", DEFAULT)).run("validate");
        assertThat(run.exitCode()).isZero();
        CliRunner.Run missing =
                CliRunner.withEnv(Map.of("PIPELINE_CONFIG_PATH", "nope.yaml")).run("validate");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.yaml:1:1: error: cannot read pipeline file");
    }

    @Test
    void withoutAPipelineFileAnywhereTheBundledDefaultRunsAndSaysSo() throws Exception {
        // The tests run in job/, where there is no config/pipeline.yaml.
        assertThat(Path.of("config/pipeline.yaml")).doesNotExist();
        CliRunner.Run run = cli.run("validate");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("using the default pipeline bundled in the jar");
        assertThat(run.out()).contains("valid: pipeline `default` 1.0.0, 9 stages");
        assertThat(CliRunner.withEnv(Map.of()).run("validate", "config/pipeline.yaml").err())
                .as("a file named on the command line is never replaced")
                .contains("cannot read pipeline file");
    }

    @Test
    void visualizeDrawsTheStageGraphInMermaidAndDot(@TempDir Path dir) throws Exception {
        CliRunner.Run mermaid = cli.run("visualize", DEFAULT);
        assertThat(mermaid.exitCode()).isZero();
        assertThat(mermaid.out())
                .startsWith("flowchart LR")
                .contains(
                        "s_decode[\"decode<br/>decode@1.0.0 (decoder)<br/>parallelism 2 (default)\"]")
                .contains("s_preprocess --> s_vad")
                .contains("s_temporal --> s_decision");
        Path out = dir.resolve("graph.dot");
        assertThat(
                        cli.run("visualize", DEFAULT, "--format", "dot", "-o", out.toString())
                                .exitCode())
                .isZero();
        assertThat(Files.readString(out))
                .startsWith("digraph \"default\"")
                .contains("s_decode -> s_temporal;");
    }

    @Test
    void visualizeSvgUsesGraphvizOrSaysHowToInstallIt(@TempDir Path dir) {
        CliRunner.Run run =
                cli.run(
                        "visualize",
                        DEFAULT,
                        "--format",
                        "svg",
                        "-o",
                        dir.resolve("g.svg").toString());
        if (run.exitCode() == 0) {
            assertThat(dir.resolve("g.svg")).content().contains("<svg");
        } else {
            assertThat(run.err()).contains("apt-get install graphviz");
        }
    }

    @Test
    void pluginsListsEveryBuiltInPluginWithItsMetricsWhenVerbose() {
        CliRunner.Run run = cli.run("plugins", "--verbose");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("stage SPI " + io.audioflow.api.Spi.VERSION)
                .containsPattern("temporal\\s+1\\.0\\.0\\s+analyzer")
                .contains("metric:   rms_dbfs [dBFS]")
                .contains("config:   sample_rate (integer, default 16000)")
                .contains("product:  vad.speech")
                .contains("rejected candidates: none");
    }

    @Test
    void badArgumentsGiveOneLineAndTheUsage() {
        CliRunner.Run run = cli.run("visualize", DEFAULT, "--format", "png");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("error: Invalid value for option '--format'")
                .contains("Usage: audioflow visualize");
        assertThat(cli.run("frobnicate").err()).startsWith("error: unknown command `frobnicate`");
    }

    @Test
    void helpIsAvailableEverywhere() {
        assertThat(cli.run("--help").out()).contains("validate", "visualize", "plugins", "analyze");
        assertThat(cli.run("analyze", "--help").out()).contains("--pipeline", "--format");
    }

    @Test
    void warnsOfAFallbackThatCanNeverRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fallback.yaml");
        Files.writeString(
                file,
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n"
                        + "  - name: t\n    processor: temporal\n    dependencies: [decode]\n"
                        + "    error_handling: {mode: retry, fallback: spectral}\n"
                        + "  - name: u\n    processor: temporal\n    dependencies: [decode]\n"
                        + "    error_handling: {mode: fallback, fallback: temporal}\n");
        CliRunner.Run run = cli.run("validate", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.err())
                .contains(
                        "fallback.yaml:8:21: warning: stage `t` names a fallback but its"
                                + " error_handling mode is `retry`, so the fallback is never used")
                .contains(
                        "fallback.yaml:12:48: warning: the fallback of stage `u` is the stage's own"
                                + " processor `temporal@1.0.0`");
    }

    @Test
    void buildsOnlyTheSubcommandBeingRunAndTheWholeTreeForHelp() {
        Environment env = new Environment(Map.of());
        assertThat(
                        AudioflowCli.newCommandLine(
                                        env, new String[] {"--log-format", "json", "analyze", "x"})
                                .getSubcommands())
                .containsOnlyKeys("analyze");
        assertThat(
                        AudioflowCli.newCommandLine(
                                        env, new String[] {"control", "set", "s", "k=v"})
                                .getSubcommands())
                .containsOnlyKeys("control");
        for (String[] args :
                new String[][] {{"help", "analyze"}, {"--help"}, {}, {"analyz", "x.wav"}}) {
            assertThat(AudioflowCli.newCommandLine(env, args).getSubcommands())
                    .hasSize(AudioflowCli.SUBCOMMANDS.size());
        }
    }
}
