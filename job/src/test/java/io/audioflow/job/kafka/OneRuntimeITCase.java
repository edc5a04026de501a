package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.job.profile.PipelineProfiler;
import io.audioflow.job.testing.SameResults;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ChunkParser;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.runtime.FileChunks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code analyze}, {@code profile --results} and the streaming job run one pipeline runtime, so
 * they give one answer: every file of {@code test-data/audio}, and inputs that fail in different
 * stages, through all three, with the same metrics, verdicts, reasons and error codes.
 */
class OneRuntimeITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /** The default pipeline, and one whose stages run shadows beside them. */
    @ParameterizedTest
    @ValueSource(strings = {"config/pipeline.yaml", "test-data/pipelines/shadows.yaml"})
    void analyzeProfileAndTheStreamingJobGiveTheSameResults(String file, @TempDir Path tmp)
            throws Exception {
        List<Path> files = inputs(tmp);
        ValidatedPipeline pipeline = KafkaFixture.pipeline(file);

        Map<String, JsonNode> analyzed =
                byId(KafkaFixture.analyzeLocally(pipeline, files).values());
        Map<String, JsonNode> profiled =
                byId(
                        parse(
                                new PipelineProfiler(pipeline, new FileChunks("pcm_s16le", 0, 0))
                                        .run(files.stream().map(Path::toString).toList())
                                        .results()));
        Streamed streamed = stream(pipeline, files, tmp.resolve("checkpoints"));

        assertThat(analyzed.keySet()).hasSize(files.size()).isEqualTo(profiled.keySet());
        // The job checks the input contract before any stage: a message whose audio.format it
        // does not know is a dead letter there, and a local file gets that error as its result.
        assertThat(streamed.letterCodes())
                .as("recordings the job refused at its input")
                .isEqualTo(Map.of("notes.ogg", "unknown_format"));
        streamed.letterCodes()
                .forEach(
                        (id, code) -> {
                            assertThat(analyzed.get(id).path("error").path("code").asText())
                                    .isEqualTo(code);
                            assertThat(analyzed.get(id).path("error").path("stage").asText())
                                    .isEqualTo(ChunkParser.STAGE);
                        });
        assertThat(streamed.results().keySet())
                .containsExactlyInAnyOrderElementsOf(
                        analyzed.keySet().stream()
                                .filter(id -> !streamed.letterCodes().containsKey(id))
                                .toList());
        assertThat(analyzed.values())
                .as("the inputs include failures, or this compares only the happy path")
                .filteredOn(r -> r.path("error").isObject())
                .hasSizeGreaterThanOrEqualTo(3);
        for (String id : analyzed.keySet()) {
            JsonNode a = analyzed.get(id);
            assertThat(profiled.get(id)).as(id).isEqualTo(a);
            if (!streamed.letterCodes().containsKey(id))
                assertSameAnswer(id, streamed.results().get(id), a);
        }
    }

    /** The good recordings, and some that fail: in the decoder, and before any stage can run. */
    private static List<Path> inputs(Path tmp) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(KafkaFixture.AUDIO)) {
            list.sorted().forEach(files::add);
        }
        Path corrupt = tmp.resolve("corrupt.wav");
        Files.write(corrupt, "RIFF\0\0\0\0WAVEjunk".getBytes(StandardCharsets.US_ASCII));
        Path truncated = tmp.resolve("truncated.flac");
        byte[] flac = Files.readAllBytes(KafkaFixture.AUDIO.resolve("sine-1k-16k-mono.flac"));
        Files.write(truncated, Arrays.copyOf(flac, flac.length / 3));
        Path unsupported = tmp.resolve("notes.ogg");
        Files.write(unsupported, "OggS not really".getBytes(StandardCharsets.US_ASCII));
        files.addAll(List.of(corrupt, truncated, unsupported));
        return files;
    }

    /**
     * What the job wrote: results by recording, and the code of each recording whose input messages
     * were refused (dead letters from no stage).
     */
    private record Streamed(Map<String, JsonNode> results, Map<String, String> letterCodes) {}

    /** The streaming job over the files as producers publish them (1 s chunks), read back. */
    private static Streamed stream(ValidatedPipeline pipeline, List<Path> files, Path checkpoints)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            KafkaSettings topics = KafkaFixture.freshTopics(kafka, 2);
            try (ChunkPublisher publisher =
                    new ChunkPublisher(
                            kafka.bootstrapServers(), topics.inputTopic(), 1000, Map.of())) {
                for (Path f : files)
                    publisher.publish(f, f.getFileName().toString(), "pcm_s16le", 0, 0);
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            KafkaFixture.testExecution(pipeline, checkpoints).toConfiguration());
            env.setParallelism(2);
            new StreamingJob(
                            pipeline,
                            topics.stoppingAtLatest(),
                            2,
                            pipeline.definition().limits().applyTo(ReassemblyLimits.defaults()),
                            StreamingJob.DEFAULT_MAX_MESSAGE_BYTES)
                    .build(env);
            env.execute("one runtime");
            Map<String, JsonNode> results =
                    byId(
                            KafkaFixture.results(
                                    kafka.bootstrapServers(),
                                    topics.resultsTopic(),
                                    files.size(),
                                    Duration.ofSeconds(10)));
            Map<String, String> refused = new TreeMap<>();
            try (TopicReader reader =
                    new TopicReader(kafka.bootstrapServers(), topics.dlqTopic())) {
                for (ConsumerRecord<byte[], byte[]> r : reader.readAll(Duration.ofSeconds(3)))
                    if (ChunkParser.STAGE.equals(KafkaFixture.header(r, "audioflow.error.stage")))
                        refused.put(
                                new String(r.key(), StandardCharsets.UTF_8),
                                KafkaFixture.header(r, "audioflow.error.code"));
            }
            return new Streamed(results, refused);
        }
    }

    /**
     * What an analyst reads off a result. The job's results say more (the source topic and offsets,
     * the chunk count), and a decoder's message may name the byte it stopped at, which depends on
     * how the file was cut.
     */
    private static void assertSameAnswer(String id, JsonNode got, JsonNode expected) {
        assertThat(got).as("a result for " + id).isNotNull();
        SameResults.assertSameMetrics(id, got.path("metrics"), expected.path("metrics"));
        assertThat(got.path("decision").path("verdict"))
                .as(id)
                .isEqualTo(expected.path("decision").path("verdict"));
        assertThat(rules(got)).as(id).isEqualTo(rules(expected));
        assertThat(got.path("error").path("code"))
                .as(id)
                .isEqualTo(expected.path("error").path("code"));
        assertThat(got.path("error").path("stage"))
                .as(id)
                .isEqualTo(expected.path("error").path("stage"));
        assertThat(stageOutcomes(got)).as(id).isEqualTo(stageOutcomes(expected));
        assertThat(got.has("shadow")).as(id + " shadow").isEqualTo(expected.has("shadow"));
        if (expected.has("shadow")) {
            ObjectNode shadow = expected.path("shadow").deepCopy();
            ObjectNode gotShadow = got.path("shadow").deepCopy();
            assertThat(gotShadow.remove("decision")).as(id).isEqualTo(shadow.remove("decision"));
            assertThat(gotShadow.remove("errors")).as(id).isEqualTo(shadow.remove("errors"));
            SameResults.assertSameMetrics(id, gotShadow, shadow);
        }
        for (String field :
                List.of("duration_s", "sample_rate", "channels", "complete", "provenance"))
            assertThat(got.path(field)).as(id + " " + field).isEqualTo(expected.path(field));
    }

    private static List<String> rules(JsonNode result) {
        List<String> rules = new ArrayList<>();
        result.path("decision").path("reasons").forEach(r -> rules.add(r.path("rule").asText()));
        return rules;
    }

    /** Each stage's status and error code, by stage. */
    private static Map<String, String> stageOutcomes(JsonNode result) {
        Map<String, String> outcomes = new TreeMap<>();
        result.path("stages")
                .forEach(
                        s ->
                                outcomes.put(
                                        s.path("stage").asText(),
                                        s.path("status").asText()
                                                + " "
                                                + s.path("error_code").asText("")));
        return outcomes;
    }

    private static List<JsonNode> parse(List<String> json) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String j : json) nodes.add(KafkaFixture.JSON.readTree(j));
        return nodes;
    }

    private static Map<String, JsonNode> byId(Iterable<JsonNode> results) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode r : results)
            assertThat(byId.put(r.path("recording_id").asText(), r))
                    .as("a second result for " + r.path("recording_id"))
                    .isNull();
        return byId;
    }
}
