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

    private record Finished(int exitCode, String stdout, String stderr) {}

    /** {@code java JVM-OPTIONS -jar audioflow.jar CLI-OPTIONS analyze <a corrupt WAV>}. */
    private static Finished analyzeACorruptFile(Path dir, List<String> jvm, List<String> cli)
            throws Exception {
        Path corrupt = dir.resolve("corrupt.wav");
        Files.write(corrupt, "RIFF\0\0\0\0WAVEjunk".getBytes(StandardCharsets.US_ASCII));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(cli);
        command.addAll(List.of("analyze", "--pipeline", "../config/pipeline.yaml"));
        command.add(corrupt.toString());
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Finished(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void logsJsonLinesWithLogFormatJson(@TempDir Path dir) throws Exception {
        Finished run = analyzeACorruptFile(dir, List.of(), List.of("--log-format", "json"));
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        List<JsonNode> logLines = new ArrayList<>();
        for (String line : run.stderr().split("\n"))
            if (line.startsWith("{")) logLines.add(JSON.readTree(line));
        assertThat(run.stderr()).as("Log4j's own errors").doesNotContain("ERROR Console contains");
        assertThat(logLines)
                .as(run.stderr())
                .anySatisfy(
                        l -> {
                            assertThat(l.path("log.level").asText()).isEqualTo("WARN");
                            assertThat(l.path("audioflow.recording_id").asText())
                                    .isEqualTo("corrupt.wav");
                            assertThat(l.path("audioflow.stage").asText()).isEqualTo("decode");
                        });
    }

    @Test
    void logsTextLinesAndLoadsNeitherLog4jCoreNorFlinkNorJacksonDatabind(@TempDir Path dir)
            throws Exception {
        Finished run = analyzeACorruptFile(dir, List.of("-verbose:class"), List.of());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr())
                .as("the decode failure, as a text line")
                .containsPattern(
                        "(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN lifecycle stage=decode recording=corrupt.wav event=failed");
        assertThat(run.stdout())
                .as("-verbose:class lists what was loaded")
                .contains("io.audioflow.job.cli.TextLogContextFactory")
                .doesNotContain("org.apache.logging.log4j.core.LoggerContext ")
                .as("analyze runs the stage runners in this JVM, without Flink")
                .doesNotContain("org.apache.flink.")
                .as("results are written without Jackson's databind, whose set-up costs 0.35 CPU-s")
                .doesNotContain("com.fasterxml.jackson.databind.ser.");
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
