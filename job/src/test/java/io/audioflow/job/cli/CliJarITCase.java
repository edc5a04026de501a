package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI jar as users run it, for what only the packaging can break: one jar holds every
 * dependency, and resources that several of them ship under one name must be merged.
 */
class CliJarITCase {

    private static final Path JAR = Path.of("target/audioflow.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logsJsonLinesWithLogFormatJson(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.wav");
        Files.write(corrupt, "RIFF\0\0\0\0WAVEjunk".getBytes(StandardCharsets.US_ASCII));
        Path err = dir.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                JAR.toString(),
                                "--log-format",
                                "json",
                                "analyze",
                                "--pipeline",
                                "../config/pipeline.yaml",
                                corrupt.toString())
                        .redirectOutput(dir.resolve("stdout.txt").toFile())
                        .redirectError(err.toFile())
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(err);
        assertThat(p.exitValue()).as(stderr).isEqualTo(1);
        List<JsonNode> logLines = new ArrayList<>();
        for (String line : stderr.split("\n"))
            if (line.startsWith("{")) logLines.add(JSON.readTree(line));
        assertThat(stderr).as("Log4j's own errors").doesNotContain("ERROR Console contains");
        assertThat(logLines)
                .as(stderr)
                .anySatisfy(
                        l -> {
                            assertThat(l.path("log.level").asText()).isEqualTo("WARN");
                            assertThat(l.path("audioflow.recording_id").asText())
                                    .isEqualTo("corrupt.wav");
                            assertThat(l.path("audioflow.stage").asText()).isEqualTo("decode");
                        });
    }

    @Test
    void logsTextLinesWithoutLog4jCore(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.wav");
        Files.write(corrupt, "RIFF\0\0\0\0WAVEjunk".getBytes(StandardCharsets.US_ASCII));
        Path err = dir.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-verbose:class",
                                "-jar",
                                JAR.toString(),
                                "analyze",
                                "--pipeline",
                                "../config/pipeline.yaml",
                                corrupt.toString())
                        .redirectOutput(dir.resolve("stdout.txt").toFile())
                        .redirectError(err.toFile())
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stdout = Files.readString(dir.resolve("stdout.txt"));
        String stderr = Files.readString(err);
        assertThat(p.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr)
                .as("the decode failure, as a text line")
                .containsPattern(
                        "(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN lifecycle stage=decode recording=corrupt.wav event=failed");
        assertThat(stdout)
                .as("-verbose:class lists what was loaded")
                .contains("io.audioflow.job.cli.TextLogContextFactory")
                .doesNotContain("org.apache.logging.log4j.core.LoggerContext ");
    }

    @Test
    void theLauncherRunsTheJarAndKeepsAClassArchivePerSubcommand() throws Exception {
        Path archive = Path.of("target/audioflow-validate.jsa");
        Files.deleteIfExists(archive);
        for (int run = 0; run < 2; run++) { // the first run writes the archive, the second uses it
            Process p =
                    new ProcessBuilder(
                                    "../scripts/audioflow", "validate", "../config/pipeline.yaml")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(archive).exists();
        }
    }
}
