package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the CLI does with arguments it cannot use, and the small commands around it. */
class CliArgumentsTest {

    private final CliRunner cli = CliRunner.withEnv(Map.of());

    @ParameterizedTest
    @ValueSource(
            strings = {"deploy", "deploy --help", "deploy -h", "deploy --version", "--help deploy"})
    void anUnknownCommandExitsTwoWhateverTheFlags(String args) {
        CliRunner.Run run = cli.run(args.split(" "));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith(
                        "error: unknown command `deploy`; commands: validate, visualize, plugins,");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpOfAKnownCommandStillExitsZero() {
        assertThat(cli.run("validate", "--help").exitCode()).isZero();
        assertThat(cli.run("--help").exitCode()).isZero();
        assertThat(cli.run("help", "analyze").exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--kafka-password=hunter2-secret validate",
                "validate --pasword=hunter2-secret",
                "validate --sasl-jaas-config hunter2-secret",
                "publish --bootstrap-servers x --token=hunter2-secret y.wav",
            })
    void noValueThatMayBeASecretIsEchoedInAnError(String args) {
        CliRunner.Run run = cli.run(args.split(" "));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("error: ").doesNotContain("hunter2");
    }

    @Test
    void aKnownOptionsOrdinaryValueIsStillShown() {
        CliRunner.Run run = cli.run("analyze", "--format", "xml", "x.wav");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("xml");
    }

    @Test
    void versionNamesTheBuildFlinkAndTheSpi() {
        CliRunner.Run run = cli.run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines())
                .first()
                .asString()
                .matches("audioflow \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(run.out())
                .contains("stage SPI ")
                .contains("Flink 2.2.1")
                .contains("kafka-clients 4.2.0")
                .doesNotContain("dev")
                .doesNotContain("unknown");
    }

    @Test
    void rawPcmWithoutItsRateAndChannelsIsAUsageErrorBeforeAnythingRuns() {
        for (String command : new String[] {"analyze", "profile"}) {
            CliRunner.Run run = cli.run(command, "--raw-format", "pcm_s16le", "missing.raw");
            assertThat(run.exitCode()).as(command).isEqualTo(2);
            assertThat(run.err())
                    .as(command)
                    .contains(
                            "error: raw PCM input (missing.raw) needs --sample-rate HZ and"
                                    + " --channels N");
            assertThat(run.out()).as(command).isEmpty();
        }
        CliRunner.Run onlyRate = cli.run("analyze", "--sample-rate", "16000", "missing.raw");
        assertThat(onlyRate.exitCode()).isEqualTo(2);
    }

    @Test
    void aNegativeBufferTimeoutIsRefusedBeforeAnythingRuns() {
        CliRunner.Run run = cli.runDefaultPipeline("127.0.0.1:1", "--buffer-timeout-ms", "-1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "--buffer-timeout-ms must be 0 (send each result at once) or more, got -1")
                .doesNotContain("broker");
    }

    @Test
    void pluginsTakesTheListSpellingUsersAreTold() {
        CliRunner.Run list = cli.run("plugins", "--list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEqualTo(cli.run("plugins").out());
    }

    @Test
    void generateCompletionCompletesEveryCommand() {
        CliRunner.Run run = cli.run("generate-completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash");
        for (Class<?> command : AudioflowCli.SUBCOMMANDS) {
            String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
            assertThat(run.out()).as(name).contains(name);
        }
        assertThat(run.out()).contains("--bootstrap-servers", "--raw-format");
    }
}
