package io.audioflow.job.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.local.LocalAnalysis;
import io.audioflow.pipeline.definition.PipelineDefinition.RestartDefinition;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.runtime.FileChunks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** What the Kafka job tests share: the default pipeline, fresh topics, messages, and readers. */
final class KafkaFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path AUDIO = Path.of("../test-data/audio");

    static ValidatedPipeline defaultPipeline() {
        return pipeline("config/pipeline.yaml");
    }

    /** A pipeline file of the repository, by its path from the root. */
    static ValidatedPipeline pipeline(String path) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(Path.of("..").resolve(path))
                .pipeline()
                .orElseThrow();
    }

    /** Topics of their own per test, so tests sharing one broker cannot see each other. */
    static KafkaSettings freshTopics(EmbeddedKafka kafka, int inputPartitions) throws Exception {
        String run = "t" + UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings s =
                KafkaSettings.builder()
                        .connection(KafkaConnection.plain(kafka.bootstrapServers()))
                        .topics(run + ".chunks", run + ".results", run + ".dlq")
                        .transactionalIdPrefix("audioflow-" + run)
                        .groupId("audioflow-" + run)
                        .monitorTopic(run + ".monitor")
                        .controlTopics(run + ".control", run + ".control.results")
                        .build();
        kafka.createTopics(
                Map.of(
                        s.inputTopic(),
                        inputPartitions,
                        s.resultsTopic(),
                        1,
                        s.dlqTopic(),
                        1,
                        s.monitorTopic(),
                        1,
                        s.controlTopic(),
                        1,
                        s.controlResultsTopic(),
                        1));
        return s;
    }

    /** A message with the given headers, in order; a null key or value is sent as null. */
    static ProducerRecord<byte[], byte[]> message(
            String topic, byte[] key, byte[] value, Map<String, String> headers) {
        var r = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Valid headers of a raw 16 kHz mono chunk; tests change or remove one to break it. */
    static Map<String, String> pcmHeaders(long seq, boolean last) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("audio.schema", "1");
        h.put("audio.seq", String.valueOf(seq));
        h.put("audio.last", String.valueOf(last));
        h.put("audio.format", "pcm_s16le");
        h.put("audio.sample-rate", "16000");
        h.put("audio.channels", "1");
        return h;
    }

    static Map<String, String> containerHeaders(long seq, boolean last, String format) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("audio.schema", "1");
        h.put("audio.seq", String.valueOf(seq));
        h.put("audio.last", String.valueOf(last));
        h.put("audio.format", format);
        return h;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static List<JsonNode> results(String bootstrap, String topic, int count, Duration timeout)
            throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (TopicReader reader = new TopicReader(bootstrap, topic)) {
            for (ConsumerRecord<byte[], byte[]> r : reader.read(count, timeout))
                out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /** What `analyze` reports for local files: the reference the Kafka path must reproduce. */
    static Map<String, JsonNode> analyzeLocally(ValidatedPipeline pipeline, List<Path> files)
            throws Exception {
        Map<String, JsonNode> byFile = new HashMap<>();
        for (String json :
                new LocalAnalysis(pipeline, new FileChunks("pcm_s16le", 0, 0), 2).run(files)) {
            JsonNode n = JSON.readTree(json);
            byFile.put(n.path("recording_id").asText(), n);
        }
        return byFile;
    }

    private KafkaFixture() {}

    /**
     * What the ITCases run with: a checkpoint every 500 ms into {@code checkpoints}, no restarts.
     */
    static ExecutionSettings testExecution(ValidatedPipeline pipeline, Path checkpoints) {
        return ExecutionSettings.of(pipeline.definition().checkpointing())
                .withCheckpointInterval(500)
                .withCheckpointStorage(checkpoints.toString())
                .withRestarts(RestartDefinition.none());
    }

    /**
     * Starts the streaming job, unbounded, on a local two-slot MiniCluster; restored from {@code
     * restore} when it is not null.
     */
    static JobClient startJob(
            ValidatedPipeline pipeline,
            KafkaSettings topics,
            ExecutionSettings execution,
            Path restore,
            ReassemblyLimits limits,
            String name)
            throws Exception {
        if (restore != null) execution = execution.restoringFrom(restore.toString());
        var conf = execution.toConfiguration();
        conf.setString("rest.bind-port", "0");
        var env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        new StreamingJob(pipeline, topics, 2, limits, StreamingJob.DEFAULT_MAX_MESSAGE_BYTES)
                .build(env);
        return env.executeAsync(name);
    }
}
