package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.testing.FileGraph;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class PipelineCompilerTest {

    private static ValidatedPipeline pipeline(String yaml) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(yaml.getBytes(), "test.yaml", new Problems())
                .pipeline()
                .orElseThrow();
    }

    private static ValidatedPipeline defaultPipeline() throws Exception {
        return pipeline(Files.readString(Path.of("../config/pipeline.yaml")));
    }

    private static StreamGraph streamGraph(ValidatedPipeline p) {
        return streamGraph(p, 2);
    }

    private static StreamGraph streamGraph(ValidatedPipeline p, int parallelism) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        parallelism, GraphSettings.applyTo(new Configuration()));
        FileGraph.results(env, p, parallelism, List.of("a.wav"))
                .sinkTo(new DiscardingSink<>())
                .uid("test-sink");
        return env.getStreamGraph();
    }

    @Test
    void everyStageBecomesOneOperatorWithAUidAndNameFromItsStageName() throws Exception {
        Map<String, String> uidToName =
                streamGraph(defaultPipeline()).getStreamNodes().stream()
                        .filter(n -> n.getTransformationUID() != null)
                        .collect(
                                Collectors.toMap(
                                        StreamNode::getTransformationUID,
                                        StreamNode::getOperatorName));
        assertThat(uidToName)
                .containsEntry("audioflow-stage-decode", "decode [decode@1.0.0]")
                .containsEntry("audioflow-stage-temporal", "temporal [temporal@1.0.0]")
                .containsEntry("audioflow-stage-preprocess", "preprocess [resample@1.0.1]")
                .containsEntry("audioflow-stage-vad", "vad [vad@1.1.0]")
                .containsEntry("audioflow-stage-decision", "decision [rules@1.0.0]");
    }

    @Test
    void uidsSurviveEditsThatKeepTheStageName() {
        String before =
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n  - {name: level, processor: temporal, dependencies: [decode]}\n";
        String after =
                "name: p\nversion: 2.0.0\nstages:\n  - {name: decode, processor: decode@^1, config: {max_duration_s: 60}}\n  - {name: level, processor: temporal, dependencies: [decode], config: {clip_level: 0.9}}\n";
        assertThat(uids(pipeline(before)))
                .isEqualTo(uids(pipeline(after)))
                .contains("audioflow-stage-level");
    }

    @Test
    void theDefaultPipelinesUidsAreThoseItsSavepointsHave() throws Exception {
        // Savepoints taken by every earlier build hold state under these: they never change.
        assertThat(uids(defaultPipeline()))
                .filteredOn(uid -> uid.startsWith("audioflow-stage-"))
                .containsExactlyInAnyOrder(
                        "audioflow-stage-decode",
                        "audioflow-stage-temporal",
                        "audioflow-stage-loudness",
                        "audioflow-stage-preprocess",
                        "audioflow-stage-vad",
                        "audioflow-stage-spectral",
                        "audioflow-stage-snr",
                        "audioflow-stage-pitch",
                        "audioflow-stage-decision");
        String noDecision =
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n  - {name: level, processor: temporal, dependencies: [decode]}\n";
        assertThat(uids(pipeline(noDecision))).contains("audioflow-stage-results");
    }

    @Test
    void aRenamedStageKeepsItsStateThroughItsUid() {
        String before =
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n  - {name: level, processor: temporal, dependencies: [decode]}\n";
        String renamed =
                "name: p\nversion: 1.0.1\nstages:\n  - {name: decode, processor: decode}\n  - {name: levels, uid: level, processor: temporal, dependencies: [decode]}\n";
        String renamedWithoutUid = renamed.replace("uid: level, ", "");
        assertThat(uids(pipeline(renamed))).isEqualTo(uids(pipeline(before)));
        assertThat(uids(pipeline(renamedWithoutUid)))
                .contains("audioflow-stage-levels")
                .doesNotContain("audioflow-stage-level");
    }

    @Test
    void aStageNamedResultsWithAUidOfItsOwnCompiles() {
        String yaml =
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n  - {name: results, uid: level, processor: temporal, dependencies: [decode]}\n";
        assertThat(uids(pipeline(yaml)))
                .contains("audioflow-stage-level", "audioflow-stage-results")
                .doesNotHaveDuplicates();
    }

    private static List<String> uids(ValidatedPipeline p) {
        return streamGraph(p).getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .sorted()
                .toList();
    }

    @Test
    void audioIsShuffledOnceAndEveryLaterStageIsChainedToTheDecoder() throws Exception {
        JobGraph job = streamGraph(defaultPipeline()).getJobGraph();
        List<JobVertex> vertices = job.getVerticesSortedTopologicallyFromSources();
        JobVertex audio =
                vertices.stream()
                        .filter(v -> v.getName().contains("decode ["))
                        .findFirst()
                        .orElseThrow();
        assertThat(audio.getName()).contains("temporal [", "preprocess [", "vad [");
        assertThat(audio.getInputs())
                .singleElement()
                .extracting(JobEdge::getShipStrategyName)
                .isEqualTo("HASH");
        JobVertex decision =
                vertices.stream()
                        .filter(v -> v.getName().contains("decision ["))
                        .findFirst()
                        .orElseThrow();
        assertThat(decision.getInputs())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getShipStrategyName()).isEqualTo("FORWARD"));
        assertThat(
                        vertices.stream()
                                .flatMap(v -> v.getInputs().stream())
                                .filter(e -> e.getShipStrategyName().equals("HASH")))
                .hasSize(1);
    }

    @Test
    void resultsLeaveTheStagesWithoutWaitingForAFullNetworkBuffer() throws Exception {
        StreamNode decision =
                streamGraph(defaultPipeline()).getStreamNodes().stream()
                        .filter(n -> n.getOperatorName().startsWith("decision ["))
                        .findFirst()
                        .orElseThrow();
        // one edge from each of the 8 other stages: Flink's default would hold results 100 ms
        assertThat(decision.getInEdges())
                .hasSize(8)
                .allSatisfy(
                        e ->
                                assertThat(e.getBufferTimeout())
                                        .isEqualTo(GraphSettings.BUFFER_TIMEOUT.toMillis()));
    }

    @Test
    void aStageWithItsOwnParallelismIsShuffledAgainRatherThanMisrouted() {
        ValidatedPipeline p =
                pipeline(
                        "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n  - {name: t, processor: temporal, dependencies: [decode], parallelism: 1}\n");
        JobGraph job = streamGraph(p).getJobGraph();
        long hashEdges =
                job.getVerticesSortedTopologicallyFromSources().stream()
                        .flatMap(v -> v.getInputs().stream())
                        .filter(e -> e.getShipStrategyName().equals("HASH"))
                        .count();
        assertThat(hashEdges).isGreaterThanOrEqualTo(2);
    }

    @Test
    void withOneWorkerTheFileReaderIsChainedToTheDecoderWithoutAShuffle() throws Exception {
        JobGraph job = streamGraph(defaultPipeline(), 1).getJobGraph();
        JobVertex audio =
                job.getVerticesSortedTopologicallyFromSources().stream()
                        .filter(v -> v.getName().contains("decode ["))
                        .findFirst()
                        .orElseThrow();
        assertThat(audio.getName()).contains("read files", "reassemble chunks", "temporal [");
        assertThat(
                        job.getVerticesSortedTopologicallyFromSources().stream()
                                .flatMap(v -> v.getInputs().stream())
                                .filter(e -> e.getShipStrategyName().equals("HASH")))
                .isEmpty();
    }
}
