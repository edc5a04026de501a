package io.audioflow.job.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.job.report.ResultsPage;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.PluginJars;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.runtime.FileChunks;
import io.audioflow.pipeline.runtime.RecordingRunner;
import io.audioflow.pipeline.runtime.StepMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow stages (test-data/pipelines/shadows.yaml, the default pipeline with three shadows) over
 * test-data/audio: the live result is exactly the default pipeline's, the shadows' metrics and
 * verdict come beside it, and the report shows their deltas and flips.
 */
class ShadowStagesTest {

    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, JsonNode> live;
    private static Map<String, JsonNode> shadowed;

    @BeforeAll
    static void analyzeWithAndWithoutShadows() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(ROOT.resolve("test-data/audio"))) {
            files = list.sorted().toList();
        }
        Path corrupt = Files.createTempFile("corrupt", ".wav");
        Files.writeString(corrupt, "RIFF\0\0\0\0WAVEjunk");
        files = Stream.concat(files.stream(), Stream.of(corrupt)).toList();
        live = analyze(load("config/pipeline.yaml"), files);
        shadowed = analyze(load("test-data/pipelines/shadows.yaml"), files);
        Files.delete(corrupt);
    }

    @Test
    void theLiveResultIsThePipelineWithoutShadows() {
        assertThat(shadowed.keySet()).isEqualTo(live.keySet());
        for (String id : live.keySet()) {
            ObjectNode withShadows = shadowed.get(id).deepCopy();
            ObjectNode without = live.get(id).deepCopy();
            assertThat(without.has("shadow"))
                    .as("a pipeline without shadows pays nothing")
                    .isFalse();
            assertThat(withShadows.remove("shadow")).as(id).isNotNull();
            // The provenance names the configuration, which now includes the shadows.
            withShadows.remove("provenance");
            without.remove("provenance");
            assertThat(withShadows).as(id).isEqualTo(without);
        }
    }

    @Test
    void theShadowsMetricsAndVerdictComeBesideIt() {
        JsonNode clipped = shadowed.get("clipped-8k-mono.wav");
        // Clipping counted from half scale finds more of the square-topped wave clipped.
        assertThat(clipped.path("shadow").path("temporal.clipping_ratio").asDouble())
                .isGreaterThan(clipped.path("metrics").path("temporal.clipping_ratio").asDouble());
        for (JsonNode r : shadowed.values()) {
            if (r.has("error")) continue;
            // TarsosDSP's own YIN class and the vectorized one agree.
            JsonNode pitch = r.path("metrics").path("pitch.median_hz");
            JsonNode shadowPitch = r.path("shadow").path("pitch.median_hz");
            if (pitch.isNull()) assertThat(shadowPitch.isNull()).isTrue();
            else assertThat(shadowPitch.asDouble()).isCloseTo(pitch.asDouble(), within(1e-9));
        }
        JsonNode quiet = shadowed.get("quiet-noise-16k-mono.wav");
        assertThat(quiet.path("decision").path("verdict").asText()).isEqualTo("reject");
        assertThat(quiet.path("shadow").path("decision").path("verdict").asText())
                .as("at -60 dBFS it is not too quiet for a -70 dBFS threshold")
                .isEqualTo("accept");
    }

    @Test
    void aShadowNeverFailsARecordingAndSaysWhyItHasNoValues() {
        JsonNode corrupt =
                shadowed.values().stream()
                        .filter(r -> r.path("recording_id").asText().startsWith("corrupt"))
                        .findFirst()
                        .orElseThrow();
        assertThat(corrupt.path("error").path("code").asText()).isEqualTo("truncated_header");
        assertThat(corrupt.path("shadow").path("errors").path("temporal").asText())
                .startsWith("upstream_failed");
    }

    /**
     * A shadow whose plugin throws on every block: the recording's live result is the one without
     * shadows, no dead letter is written, and the shadow's error is reported beside it.
     */
    @Test
    void aShadowThatThrowsChangesNothingLive(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        PluginJars.build(
                plugins,
                "broken.jar",
                Map.of(
                        "broken.Plugin",
                        """
                        package broken;
                        import io.audioflow.api.*;
                        import java.io.*;
                        import java.util.List;
                        public class Plugin implements AudioAnalyzer {
                            public PluginInfo info() {
                                return PluginInfo.builder("broken", "1.0.0", StageKind.ANALYZER).build();
                            }
                            public FormatRequirement accepts(StageConfig config) { return FormatRequirement.ANY; }
                            public Accumulator open(AudioFormat format, StageContext context) {
                                return new Accumulator() {
                                    public void accept(AudioBlock block) {
                                        throw new IllegalStateException("broken on purpose");
                                    }
                                    public List<QualityMetric> result() { return List.of(); }
                                    public void writeTo(DataOutput out) {}
                                };
                            }
                        }
                        """),
                List.of("broken.Plugin"));
        String yaml =
                Files.readString(ROOT.resolve("config/pipeline.yaml"))
                        .replace("stages:\n", "plugins:\n  paths: [" + plugins + "]\nstages:\n")
                        .replace(
                                "    processor: temporal@^1.0\n",
                                "    processor: temporal@^1.0\n    shadow: broken\n");
        ValidatedPipeline pipeline =
                PipelineLoader.withPluginPaths(
                                Map.of("PLUGIN_CACHE", "none"), LifecycleListener.NONE)
                        .load(yaml.getBytes(), "broken-shadow.yaml", new Problems())
                        .pipeline()
                        .orElseThrow();
        assertThat(pipeline.stage("temporal").spec().shadow()).isNotNull();
        Path file = ROOT.resolve("test-data/audio/speechlike-44k-stereo.wav");
        RecordingRunner.Outcome outcome =
                LocalAnalysis.run(
                        LocalAnalysis.runner(pipeline, spec -> StepMeter.NONE, false),
                        new FileChunks("pcm_s16le", 0, 0),
                        file);

        assertThat(outcome.deadLetters()).isEmpty();
        ObjectNode result = (ObjectNode) JSON.readTree(outcome.json());
        assertThat(result.path("shadow").path("errors").path("temporal").asText())
                .contains("broken on purpose");
        ObjectNode without = live.get("speechlike-44k-stereo.wav").deepCopy();
        result.remove("shadow");
        result.remove("provenance");
        without.remove("provenance");
        assertThat(result).isEqualTo(without);
    }

    @Test
    void theReportShowsDeltasAndFlips() {
        String page = ResultsPage.html(List.copyOf(shadowed.values()), "test");
        assertThat(page)
                .contains("Shadow stages: metric deltas", "temporal.clipping_ratio")
                .contains("Shadow stages: verdict flips", "quiet-noise-16k-mono.wav");
        assertThat(ResultsPage.html(List.copyOf(live.values()), "test"))
                .doesNotContain("Shadow stages");
    }

    private static ValidatedPipeline load(String path) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(ROOT.resolve(path))
                .pipeline()
                .orElseThrow();
    }

    private static Map<String, JsonNode> analyze(ValidatedPipeline p, List<Path> files)
            throws Exception {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (String json : new LocalAnalysis(p, new FileChunks("pcm_s16le", 0, 0), 2).run(files)) {
            JsonNode n = JSON.readTree(json);
            byId.put(n.path("recording_id").asText(), n);
        }
        return byId;
    }
}
