package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze} end to end on an embedded Flink: the JSON contract other tools build on. */
class AnalyzeCommandITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CliRunner cli = CliRunner.withEnv(Map.of());

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.strip().split("\n")) nodes.add(JSON.readTree(line));
        return nodes;
    }

    @Test
    void printsOneJsonResultPerFileInInputOrder(@TempDir Path dir) throws Exception {
        Path corrupt = dir.resolve("corrupt.wav");
        Files.write(corrupt, "RIFF\0\0\0\0WAVEjunk".getBytes());
        CliRunner.Run run =
                cli.run(
                        "analyze",
                        "--pipeline",
                        "../config/pipeline.yaml",
                        "../test-data/audio/sine-1k-16k-mono.wav",
                        corrupt.toString(),
                        "../test-data/audio/speechlike-44k-stereo.wav",
                        dir.resolve("missing.wav").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        List<JsonNode> results = lines(run.out());
        assertThat(results)
                .extracting(r -> r.path("recording_id").asText())
                .containsExactly(
                        "sine-1k-16k-mono.wav",
                        "corrupt.wav",
                        "speechlike-44k-stereo.wav",
                        "missing.wav");

        JsonNode sine = results.get(0);
        assertThat(sine.path("duration_s").asDouble()).isEqualTo(2.0);
        assertThat(sine.path("sample_rate").asInt()).isEqualTo(16_000);
        assertThat(sine.path("channels").asInt()).isEqualTo(1);
        assertThat(sine.path("metrics").path("temporal.peak_dbfs").asDouble())
                .isCloseTo(-6.02, within(0.01));
        assertThat(sine.path("metrics").path("temporal.rms_dbfs").asDouble())
                .isCloseTo(-9.03, within(0.01));
        assertThat(sine.path("metrics").has("vad.speech_ratio")).isTrue();
        assertThat(sine.path("decision").path("verdict").asText())
                .isIn("accept", "enhance", "reject");
        assertThat(sine.path("provenance").path("pipeline").asText()).isEqualTo("default");
        assertThat(sine.path("provenance").path("config_sha256").asText()).hasSize(64);
        assertThat(sine.path("provenance").path("stages")).hasSize(9);
        assertThat(sine.has("error")).isFalse();

        assertThat(results.get(1).path("error").path("code").asText())
                .isEqualTo("truncated_header");
        assertThat(results.get(1).path("error").path("stage").asText()).isEqualTo("decode");

        JsonNode stereo = results.get(2);
        assertThat(stereo.path("channels").asInt()).isEqualTo(2);
        JsonNode preprocess = null;
        for (JsonNode stage : stereo.path("provenance").path("stages")) {
            if (stage.path("stage").asText().equals("preprocess")) preprocess = stage;
        }
        assertThat(preprocess.path("processor").asText()).isEqualTo("resample");
        assertThat(preprocess.path("changes").path("sample_rate").asText())
                .isEqualTo("44100->16000");
        assertThat(preprocess.path("changes").path("channels").asText()).isEqualTo("2->1");
        assertThat(stereo.path("metrics").path("loudness.integrated_lufs").asDouble())
                .isBetween(-30.0, -10.0);
        assertThat(stereo.path("decision").path("verdict").asText()).isEqualTo("accept");

        assertThat(results.get(3).path("error").path("code").asText()).isEqualTo("io_error");
        assertThat(run.err()).contains("2 of 4 file(s) could not be analysed");
    }

    @Test
    void printsATableForPeople() {
        CliRunner.Run run =
                cli.run(
                        "analyze",
                        "--format",
                        "table",
                        "--pipeline",
                        "../config/pipeline.yaml",
                        "../test-data/audio/clipped-8k-mono.wav");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines().toList()).hasSize(2);
        assertThat(run.out())
                .contains(
                        "recording",
                        "verdict",
                        "temporal.clipping_ratio",
                        "clipped-8k-mono.wav",
                        "reject",
                        "clipping (temporal.clipping_ratio above 0.001");
    }

    @Test
    void runsAStageFromAnExternalPluginJarNamedInThePipeline(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        io.audioflow.pipeline.plugin.PluginJars.build(
                plugins,
                "libcheck.jar",
                Map.of(
                        "libcheck.Plugin",
                                io.audioflow.pipeline.plugin.PluginJars.analyzer(
                                        "libcheck", "libcheck", "1.2.0", "^1.0"),
                        "com.example.Lib", io.audioflow.pipeline.plugin.PluginJars.library(7.0)),
                List.of("libcheck.Plugin"));
        Path pipeline = dir.resolve("external.yaml");
        Files.writeString(
                pipeline,
                "name: external\nversion: 1.0.0\nplugins:\n  paths: ["
                        + plugins
                        + "]\nstages:\n"
                        + "  - {name: decode, processor: decode}\n"
                        + "  - {name: check, processor: libcheck@^1.2, dependencies: [decode]}\n");
        CliRunner.Run run =
                cli.run(
                        "analyze",
                        "--pipeline",
                        pipeline.toString(),
                        "../test-data/audio/sine-1k-16k-mono.wav");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = lines(run.out()).get(0);
        assertThat(result.path("metrics").path("check.lib").asDouble()).isEqualTo(7.0);
        assertThat(result.path("provenance").path("stages").get(1).path("version").asText())
                .isEqualTo("1.2.0");
    }
}
