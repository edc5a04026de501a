package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.compile.GraphSettings;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The streaming job's graph as `run` and the job jar build it from the default pipeline, with the
 * Flink configuration they build it under (nothing runs).
 */
class StreamingJobGraphTest {

    private static StreamGraph graph() throws Exception {
        return graph(settings -> settings);
    }

    private static StreamGraph graph(UnaryOperator<ExecutionSettings> options) throws Exception {
        ValidatedPipeline pipeline =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(
                                Files.readAllBytes(Path.of("../config/pipeline.yaml")),
                                "pipeline.yaml",
                                new Problems())
                        .pipeline()
                        .orElseThrow();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        2,
                        options.apply(ExecutionSettings.of(pipeline.definition().checkpointing()))
                                .toConfiguration());
        new StreamingJob(
                        pipeline,
                        KafkaSettings.of(pipeline.definition().kafka()),
                        2,
                        ReassemblyLimits.defaults(),
                        StreamingJob.DEFAULT_MAX_MESSAGE_BYTES)
                .build(env);
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph graph, String namePrefix) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().startsWith(namePrefix))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aChunkIsSentAtOnceAndAResultWaitsAtMostTheBufferTimeout() throws Exception {
        StreamGraph graph = graph();
        // Flink's default (100 ms) held a live source's chunk that long before the shuffle by
        // recording, and each stage's results as long again before the decision. A chunk fills a
        // buffer by itself: it goes at once (0), and the parser's task needs no flusher thread.
        assertThat(node(graph, "parse messages").getOutEdges())
                .isNotEmpty()
                .extracting(StreamEdge::getBufferTimeout)
                .containsOnly(0L);
        assertThat(node(graph, "decision [").getInEdges())
                .hasSize(8)
                .extracting(StreamEdge::getBufferTimeout)
                .containsOnly(GraphSettings.BUFFER_TIMEOUT.toMillis());
    }

    @Test
    void theUsersBufferTimeoutAppliesToResultsAndChunksStillGoAtOnce() throws Exception {
        // what `--buffer-timeout-ms 100` gives
        StreamGraph graph = graph(settings -> settings.withBufferTimeout(Duration.ofMillis(100)));
        assertThat(node(graph, "decision [").getInEdges())
                .extracting(StreamEdge::getBufferTimeout)
                .containsOnly(100L);
        assertThat(node(graph, "parse messages").getOutEdges())
                .extracting(StreamEdge::getBufferTimeout)
                .containsOnly(0L);
    }
}
