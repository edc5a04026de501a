package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.testing.FileGraph;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The default pipeline compiled and run on a MiniCluster over every file in test-data/audio. */
class PipelineITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void producesExactlyOneCompleteResultPerRecording() throws Exception {
        ValidatedPipeline pipeline =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(Path.of("../config/pipeline.yaml"))
                        .pipeline()
                        .orElseThrow();
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("../test-data/audio"))) {
            files = list.map(Path::toString).filter(f -> f.endsWith(".wav")).sorted().toList();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        env.setParallelism(2);

        Map<String, JsonNode> results = new HashMap<>();
        List<String> raw = new ArrayList<>();
        try (CloseableIterator<String> it =
                FileGraph.results(env, pipeline, 2, files).executeAndCollect()) {
            it.forEachRemaining(raw::add);
        }
        for (String json : raw) {
            JsonNode node = JSON.readTree(json);
            assertThat(results.put(node.path("recording_id").asText(), node))
                    .as("duplicate result")
                    .isNull();
        }
        assertThat(results).hasSameSizeAs(files);
        assertThat(results.values())
                .allSatisfy(
                        r -> {
                            assertThat(r.has("error")).as(r.toString()).isFalse();
                            // every metric the default pipeline's analyzers declare
                            // (pitch.tone_ratio since pitch 1.2)
                            assertThat(r.path("metrics").size()).isEqualTo(25);
                            assertThat(r.path("stages"))
                                    .allSatisfy(
                                            s ->
                                                    assertThat(s.path("status").asText())
                                                            .isEqualTo("ok"));
                        });
        JsonNode clipped = results.get("clipped-8k-mono.wav");
        assertThat(clipped.path("metrics").path("temporal.clipping_ratio").asDouble())
                .isGreaterThan(0.3);
        assertThat(clipped.path("decision").path("verdict").asText()).isEqualTo("reject");
        JsonNode quiet = results.get("quiet-noise-16k-mono.wav");
        assertThat(quiet.path("metrics").path("temporal.rms_dbfs").asDouble())
                .isCloseTo(-60.0, within(0.2));
        assertThat(
                        results.get("speechlike-44k-stereo.wav")
                                .path("metrics")
                                .path("vad.segments")
                                .asDouble())
                .isPositive();
    }
}
