package io.audioflow.job.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.EmbeddedKafka;
import io.audioflow.job.kafka.KafkaConnection;
import io.audioflow.job.kafka.KafkaSettings;
import io.audioflow.job.kafka.StreamingJob;
import io.audioflow.job.kafka.TopicReader;
import io.audioflow.job.local.LocalAnalysis;
import io.audioflow.job.testing.SameResults;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.runtime.FileChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded file job on MiniCluster: test-data/audio plus a corrupt WAV in a nested folder, read
 * by Flink's FileSource, analysed by the compiled pipeline, written as JSON lines; the job ends by
 * itself, every part file is committed, and the results are {@code analyze}'s.
 */
class FilesJobITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void analysesEveryFileOnceAndEnds(@TempDir Path tmp) throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input/nested"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("../test-data/audio"))) {
            for (Path f : list.sorted().toList())
                files.add(Files.copy(f, tmp.resolve("input").resolve(f.getFileName())));
        }
        files.add(Files.writeString(input.resolve("corrupt.wav"), "RIFF\0\0\0\0WAVEjunk"));
        ValidatedPipeline pipeline =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(Path.of("../config/pipeline.yaml"))
                        .pipeline()
                        .orElseThrow();
        Path output = tmp.resolve("output");

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        new FilesJob(
                        pipeline,
                        tmp.resolve("input").toUri().toString(),
                        new FileChunks("pcm_s16le", 0, 0),
                        2,
                        pipeline.definition().limits().applyTo(ReassemblyLimits.defaults()))
                .toFiles(env, output.toUri().toString());
        env.execute("files");

        Map<String, JsonNode> results = byId(lines(output.resolve("results")));
        Map<String, JsonNode> expected =
                byId(
                        new LocalAnalysis(pipeline, new FileChunks("pcm_s16le", 0, 0), 2)
                                .run(files).stream().map(FilesJobITCase::parse).toList());
        assertThat(results.keySet()).isEqualTo(expected.keySet());
        for (String id : expected.keySet()) {
            JsonNode got = results.get(id);
            JsonNode want = expected.get(id);
            SameResults.assertSameMetrics(id, got.path("metrics"), want.path("metrics"));
            assertThat(got.path("decision")).as(id).isEqualTo(want.path("decision"));
            assertThat(got.path("error")).as(id).isEqualTo(want.path("error"));
        }
        assertThat(lines(output.resolve("dead-letters")))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.path("key").asText()).isEqualTo("corrupt.wav");
                            assertThat(d.path("code").asText()).isEqualTo("truncated_header");
                            assertThat(d.path("stage").asText()).isEqualTo("decode");
                        });
        try (Stream<Path> all = Files.walk(output)) {
            assertThat(all.map(Path::toString))
                    .as("every part file committed when the job ended")
                    .noneMatch(p -> p.contains(".inprogress") || p.contains("/."));
        }
    }

    @Test
    void writesToTheTopicsWithoutOutput(@TempDir Path tmp) throws Exception {
        ValidatedPipeline pipeline =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(Path.of("../config/pipeline.yaml"))
                        .pipeline()
                        .orElseThrow();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaSettings topics =
                    KafkaSettings.builder()
                            .connection(KafkaConnection.plain(kafka.bootstrapServers()))
                            .topics("files.chunks", "files.results", "files.dlq")
                            .transactionalIdPrefix("files")
                            .groupId("files")
                            .monitorTopic(null)
                            .controlTopics(null, null)
                            .build();
            kafka.createTopics(Map.of("files.results", 1, "files.dlq", 1));
            Configuration conf = new Configuration();
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofMillis(500));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ReassemblyLimits limits =
                    pipeline.definition().limits().applyTo(ReassemblyLimits.defaults());
            new FilesJob(
                            pipeline,
                            Path.of("../test-data/audio").toAbsolutePath().toUri().toString(),
                            new FileChunks("pcm_s16le", 0, 0),
                            2,
                            limits)
                    .toTopics(
                            env,
                            new StreamingJob(
                                    pipeline,
                                    topics,
                                    2,
                                    limits,
                                    StreamingJob.DEFAULT_MAX_MESSAGE_BYTES));
            env.execute("files to topics");
            long files;
            try (Stream<Path> list = Files.list(Path.of("../test-data/audio"))) {
                files = list.count();
            }
            List<JsonNode> results = new ArrayList<>();
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), "files.results")) {
                for (var r : reader.read((int) files + 1, java.time.Duration.ofSeconds(10)))
                    results.add(JSON.readTree(r.value()));
            }
            assertThat(byId(results)).hasSize((int) files);
        }
    }

    private static List<JsonNode> lines(Path folder) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> parts = Files.walk(folder)) {
            for (Path part : parts.filter(p -> p.toString().endsWith(".jsonl")).toList())
                for (String line : Files.readAllLines(part)) out.add(JSON.readTree(line));
        }
        return out;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> results) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode r : results)
            assertThat(byId.put(r.path("recording_id").asText(), r))
                    .as("one result per recording")
                    .isNull();
        return byId;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
