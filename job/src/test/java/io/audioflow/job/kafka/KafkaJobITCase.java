package io.audioflow.job.kafka;

import static io.audioflow.job.kafka.KafkaFixture.AUDIO;
import static io.audioflow.job.kafka.KafkaFixture.containerHeaders;
import static io.audioflow.job.kafka.KafkaFixture.header;
import static io.audioflow.job.kafka.KafkaFixture.message;
import static io.audioflow.job.kafka.KafkaFixture.pcmHeaders;
import static io.audioflow.job.kafka.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.testing.SameResults;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The streaming job against a real Kafka 4.2 broker (KRaft, in process) on a local Flink
 * MiniCluster: results as analysts read them ({@code read_committed}), dead letters for every class
 * of bad input, and no restart while doing so.
 */
class KafkaJobITCase {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final ReassemblyLimits LIMITS =
            new ReassemblyLimits(1_000, 100_000, 300_000, 3_600_000);

    private static EmbeddedKafka kafka;
    private static ValidatedPipeline pipeline;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        pipeline = KafkaFixture.defaultPipeline();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) kafka.close();
    }

    /** Runs the job until it has read what the input topic holds now, with no restarts allowed. */
    /**
     * Metrics of every job run on the shared cluster (a reporter lives as long as its cluster, so
     * the jobs run on this one rather than on a MiniCluster of their own).
     */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    /** A finished run and the metrics it reported. */
    private record Run(JobID job, InMemoryReporter metrics) {

        /** The sum of every counter called {@code name} whose identifier contains {@code part}. */
        long counterSum(String name, String part) {
            return metrics.findMetrics(job, name).entrySet().stream()
                    .filter(e -> e.getKey().contains(part))
                    .mapToLong(e -> ((Counter) e.getValue()).getCount())
                    .sum();
        }

        long histogramCount(String name) {
            return metrics.findMetrics(job, name).values().stream()
                    .mapToLong(m -> ((Histogram) m).getCount())
                    .sum();
        }

        double gaugeSum(String name, String part) {
            return metrics.findMetrics(job, name).entrySet().stream()
                    .filter(e -> e.getKey().contains(part))
                    .mapToDouble(e -> ((Number) ((Gauge<?>) e.getValue()).getValue()).doubleValue())
                    .sum();
        }
    }

    private static Run runBounded(KafkaSettings topics, Path checkpoints, int maxMessageBytes)
            throws Exception {
        ExecutionSettings execution = KafkaFixture.testExecution(pipeline, checkpoints);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(execution.toConfiguration());
        env.setParallelism(2);
        new StreamingJob(pipeline, topics.stoppingAtLatest(), 2, LIMITS, maxMessageBytes)
                .build(env);
        // With restarts at 0, any exception in any operator fails execute(): reaching the next
        // line means bad input never crashed the job.
        return new Run(env.execute("bounded test").getJobID(), METRICS);
    }

    @Test
    void resultsMatchLocalAnalysisAndCarryChunksSourceAndMetadata(@TempDir Path tmp)
            throws Exception {
        KafkaSettings topics = KafkaFixture.freshTopics(kafka, 2);
        List<Path> files;
        try (var list = Files.list(AUDIO)) {
            files = list.sorted().toList();
        }
        Map<String, Integer> chunksById = new HashMap<>();
        try (ChunkPublisher publisher =
                new ChunkPublisher(
                        kafka.bootstrapServers(),
                        topics.inputTopic(),
                        250,
                        Map.of("speaker", "Ana María", "batch", "7"))) {
            for (Path f : files) {
                var p = publisher.publish(f, "rec/" + f.getFileName(), "pcm_s16le", 0, 0);
                chunksById.put(p.recordingId(), p.messages());
            }
        }
        runBounded(topics, tmp, StreamingJob.DEFAULT_MAX_MESSAGE_BYTES);

        List<JsonNode> results =
                KafkaFixture.results(
                        kafka.bootstrapServers(),
                        topics.resultsTopic(),
                        files.size() + 1,
                        Duration.ofSeconds(5));
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode r : results)
            assertThat(byId.put(r.path("recording_id").asText(), r))
                    .as("a second result for %s", r.path("recording_id"))
                    .isNull();
        assertThat(byId.keySet()).isEqualTo(chunksById.keySet());

        Map<String, JsonNode> local = KafkaFixture.analyzeLocally(pipeline, files);
        for (JsonNode r : byId.values()) {
            String id = r.path("recording_id").asText();
            String file = id.substring("rec/".length());
            assertThat(r.has("error")).as(r.toString()).isFalse();
            assertThat(r.path("complete").asBoolean()).isTrue();
            assertThat(r.path("chunks").asInt()).isEqualTo(chunksById.get(id));
            assertThat(r.path("metadata").path("source_file").asText()).isEqualTo(file);
            assertThat(r.path("metadata").path("speaker").asText()).isEqualTo("Ana María");
            assertThat(r.path("metadata").path("batch").asText()).isEqualTo("7");
            JsonNode source = r.path("source");
            assertThat(source.path("topic").asText()).isEqualTo(topics.inputTopic());
            assertThat(source.path("offset_last").asLong() - source.path("offset_first").asLong())
                    .as("one recording's chunks sit together in one partition")
                    .isEqualTo(chunksById.get(id) - 1);

            // Chunked over Kafka or read whole from disk, the numbers are the same (to rounding:
            // sums run in a different order when blocks are cut differently).
            JsonNode expected = local.get(file);
            SameResults.assertSameMetrics(id, r.path("metrics"), expected.path("metrics"));
            assertThat(r.path("decision").path("verdict"))
                    .isEqualTo(expected.path("decision").path("verdict"));
            assertThat(rules(r)).isEqualTo(rules(expected));
            assertThat(r.path("provenance")).isEqualTo(expected.path("provenance"));
        }
        assertThat(documentedResultFields())
                .as("config/asyncapi.yaml documents every field of a result")
                .containsAll(fieldNames(byId.values()));
        assertThat(
                        KafkaFixture.results(
                                kafka.bootstrapServers(),
                                topics.dlqTopic(),
                                1,
                                Duration.ofSeconds(1)))
                .as("no dead letters for good input")
                .isEmpty();
        assertMonitoringAgreesWithResults(topics, byId);

        // What an analyst runs next: the report page, read straight from the results topic.
        Path page = tmp.resolve("report.html");
        assertThat(
                        io.audioflow.job.cli.AudioflowCli.run(
                                "report",
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic",
                                topics.resultsTopic(),
                                "--duration-s",
                                "3",
                                "-o",
                                page.toString()))
                .isZero();
        assertThat(Files.readString(page))
                .contains("<span>" + byId.size() + "</span>recordings")
                .contains("Topic " + topics.resultsTopic());
    }

    /**
     * The per-chunk monitoring topic follows each recording to its end, and its chunk peaks add up
     * to the result: the peak of a recording is the highest of its chunks' peaks.
     */
    private static void assertMonitoringAgreesWithResults(
            KafkaSettings topics, Map<String, JsonNode> results) throws IOException {
        List<JsonNode> progress =
                KafkaFixture.results(
                        kafka.bootstrapServers(),
                        topics.monitorTopic(),
                        Integer.MAX_VALUE,
                        Duration.ofSeconds(3));
        for (JsonNode r : results.values()) {
            String id = r.path("recording_id").asText();
            List<JsonNode> temporal =
                    progress.stream()
                            .filter(p -> p.path("recording_id").asText().equals(id))
                            .filter(p -> p.path("stage").asText().equals("temporal"))
                            .toList();
            assertThat(temporal).as("temporal progress of %s", id).isNotEmpty();
            double end =
                    temporal.stream()
                            .mapToDouble(p -> p.path("end_s").asDouble())
                            .max()
                            .orElseThrow();
            assertThat(end).isCloseTo(r.path("duration_s").asDouble(), within(1e-9));
            double peak =
                    temporal.stream()
                            .mapToDouble(
                                    p ->
                                            p.path("metrics")
                                                    .path("temporal.chunk_peak_dbfs")
                                                    .asDouble())
                            .max()
                            .orElseThrow();
            assertThat(peak)
                    .as("highest chunk peak of %s", id)
                    .isCloseTo(
                            r.path("metrics").path("temporal.peak_dbfs").asDouble(), within(1e-9));
            if (r.path("duration_s").asDouble() >= 0.5)
                assertThat(progress)
                        .as("loudness progress of %s", id)
                        .anySatisfy(
                                p -> {
                                    assertThat(p.path("recording_id").asText()).isEqualTo(id);
                                    assertThat(p.path("metrics").has("loudness.momentary_lufs"))
                                            .isTrue();
                                });
        }
    }

    private static List<String> rules(JsonNode result) {
        List<String> rules = new ArrayList<>();
        result.path("decision").path("reasons").forEach(n -> rules.add(n.path("rule").asText()));
        return rules;
    }

    /** One class of bad input: the messages that make it, and the dead letter it must produce. */
    private record Poison(String key, String code, List<ProducerRecord<byte[], byte[]>> messages) {}

    @Test
    void everyClassOfBadInputBecomesADeadLetterWithItsReasonAndGoodRecordingsAreUntouched(
            @TempDir Path tmp) throws Exception {
        KafkaSettings topics = KafkaFixture.freshTopics(kafka, 2);
        String in = topics.inputTopic();
        List<Poison> poisons = poisons(in);
        assertThat(poisons.stream().map(Poison::code).distinct()).hasSizeGreaterThanOrEqualTo(20);

        byte[] flac = Files.readAllBytes(AUDIO.resolve("speechlike-22k-stereo.flac"));
        Map<Long, ProducerRecord<byte[], byte[]>> flacPieces = new LinkedHashMap<>();
        int piece = flac.length / 3 + 1;
        for (int seq = 0; seq < 3; seq++)
            flacPieces.put(
                    (long) seq,
                    message(
                            in,
                            utf8("good.flac"),
                            Arrays.copyOfRange(
                                    flac, seq * piece, Math.min(flac.length, (seq + 1) * piece)),
                            containerHeaders(seq, seq == 2, "flac")));

        Map<String, RecordMetadata> sentFirst = new HashMap<>();
        try (ChunkPublisher publisher =
                new ChunkPublisher(kafka.bootstrapServers(), in, 250, Map.of())) {
            // Good recordings interleaved with the bad: the FLAC arrives out of order with a
            // producer retry of its first piece.
            publisher.publish(
                    AUDIO.resolve("speechlike-44k-stereo.wav"), "good.wav", "pcm_s16le", 0, 0);
            publisher.send(flacPieces.get(2L));
            for (Poison p : poisons) {
                for (ProducerRecord<byte[], byte[]> m : p.messages()) {
                    RecordMetadata meta = publisher.send(m);
                    sentFirst.putIfAbsent(p.key(), meta);
                }
            }
            publisher.send(flacPieces.get(0L));
            publisher.send(flacPieces.get(0L));
            publisher.send(flacPieces.get(1L));
        }
        Run run = runBounded(topics, tmp, MAX_MESSAGE_BYTES);

        List<ConsumerRecord<byte[], byte[]>> letters;
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topics.dlqTopic())) {
            // One more than the poisons (the chunk after a failed decode; the FLAC's retried piece
            // is a producer's retry, dropped), and one more to catch any extra.
            letters = reader.read(poisons.size() + 2, Duration.ofSeconds(5));
        }
        Map<String, List<String>> codesByKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> d : letters) {
            String key = d.key() == null ? "(null)" : keyLabel(d.key());
            codesByKey
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(header(d, "audioflow.error.code"));
            assertThat(header(d, "audioflow.error.message")).isNotBlank();
            assertThat(header(d, "audioflow.error.stage")).isIn("ingest", "decode");
        }
        Map<String, List<String>> expected = new TreeMap<>();
        for (Poison p : poisons)
            expected.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.code());
        // the chunk after the one that failed to decode
        expected.get("p-upstream.f32").add("upstream_failed");
        // Chunks 0 and 1 never come: when the input ends, the recording is closed as incomplete,
        // the two chunks that waited behind the gap are dead letters, and the decoder finds no
        // audio. Nothing stays open unseen.
        expected.get("p-reorder-full").addAll(List.of("seq_gap", "seq_gap", "empty_audio"));
        assertThat(sortedValues(codesByKey)).isEqualTo(sortedValues(expected));

        // What operators see on their dashboards agrees with the topic.
        assertThat(run.counterSum("deadLetters", "")).isEqualTo(letters.size());
        assertThat(run.counterSum("deadLetters", ".code.unknown_format.")).isEqualTo(1);
        assertThat(run.counterSum("duplicateChunks", ""))
                .as("good.flac's retried piece")
                .isEqualTo(1);
        assertThat(
                        run.counterSum(
                                "failures", ".audioflow_stage.decode.error_code.invalid_samples."))
                .isEqualTo(2);
        assertThat(run.counterSum("results", ".verdict.")).isEqualTo(resultsCount(topics));
        assertThat(run.histogramCount("resultLatencyMs"))
                .as("every result from Kafka input has its end-to-end latency measured")
                .isEqualTo(resultsCount(topics));
        assertThat(run.metrics.findMetrics(run.job, "openRecordings"))
                .as("one gauge per reassembly subtask")
                .hasSize(2);
        assertThat(run.gaugeSum("audioSecondsProcessed", ".audioflow_stage.loudness."))
                .as("loudness measured good.wav and good.flac, 3 s each, and the short ones")
                .isGreaterThan(6.0);

        // A dead letter is the original message, unchanged, with where it came from.
        ConsumerRecord<byte[], byte[]> unknown =
                letters.stream()
                        .filter(d -> "unknown_format".equals(header(d, "audioflow.error.code")))
                        .findFirst()
                        .orElseThrow();
        Poison unknownPoison =
                poisons.stream()
                        .filter(p -> p.code().equals("unknown_format"))
                        .findFirst()
                        .orElseThrow();
        assertThat(unknown.value()).isEqualTo(unknownPoison.messages().get(0).value());
        assertThat(header(unknown, "audio.format")).isEqualTo("ogg");
        assertThat(header(unknown, "audioflow.error.orig.topic")).isEqualTo(in);
        RecordMetadata sent = sentFirst.get(unknownPoison.key());
        assertThat(header(unknown, "audioflow.error.orig.partition"))
                .isEqualTo(String.valueOf(sent.partition()));
        assertThat(header(unknown, "audioflow.error.orig.offset"))
                .isEqualTo(String.valueOf(sent.offset()));

        Map<String, JsonNode> results = new TreeMap<>();
        for (JsonNode r :
                KafkaFixture.results(
                        kafka.bootstrapServers(),
                        topics.resultsTopic(),
                        100,
                        Duration.ofSeconds(3)))
            assertThat(results.put(r.path("recording_id").asText(), r)).isNull();
        assertThat(results.get("good.wav").has("error")).isFalse();
        assertThat(results.get("good.flac").has("error")).isFalse();
        assertThat(results.get("good.flac").path("chunks").asInt()).isEqualTo(3);
        assertThat(results.get("good.flac").path("duration_s").asDouble()).isEqualTo(3.0);
        assertThat(results.get("p-truncated.wav").path("error").path("code").asText())
                .isEqualTo("truncated_header");
        assertThat(results.get("p-upstream.f32").path("error").path("code").asText())
                .isEqualTo("invalid_samples");
        assertThat(results.get("p-nothing").path("error").path("code").asText())
                .isEqualTo("empty_audio");
        assertThat(results.get("p-nan.f32").path("error").path("code").asText())
                .isEqualTo("invalid_samples");
        assertThat(results.get("p-after-last").has("error")).isFalse();
        assertThat(results.get("p-duplicate-seq").path("chunks").asInt()).isEqualTo(2);
    }

    private static long resultsCount(KafkaSettings topics) throws Exception {
        return KafkaFixture.results(
                        kafka.bootstrapServers(),
                        topics.resultsTopic(),
                        1_000,
                        Duration.ofSeconds(2))
                .size();
    }

    private static String keyLabel(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.equals("\uFFFD") ? "(invalid utf-8)" : s;
    }

    private static Map<String, List<String>> sortedValues(Map<String, List<String>> m) {
        Map<String, List<String>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().sorted().toList()));
        return out;
    }

    /** One or more messages per class of bad input, each under its own recording id. */
    private static List<Poison> poisons(String in) {
        List<Poison> p = new ArrayList<>();
        byte[] pcm = new byte[3200]; // 100 ms of 16 kHz mono silence
        p.add(
                new Poison(
                        "(null)",
                        "missing_key",
                        List.of(message(in, null, pcm, pcmHeaders(0, true)))));
        p.add(
                new Poison(
                        "(invalid utf-8)",
                        "invalid_key",
                        List.of(message(in, new byte[] {(byte) 0xC3}, pcm, pcmHeaders(0, true)))));
        p.add(headerPoison(in, "p-missing-seq", "missing_seq", "audio.seq", null));
        p.add(headerPoison(in, "p-invalid-seq", "invalid_seq", "audio.seq", "abc"));
        p.add(headerPoison(in, "p-invalid-last", "invalid_last", "audio.last", "yes"));
        p.add(headerPoison(in, "p-missing-format", "missing_format", "audio.format", null));
        p.add(headerPoison(in, "p-unknown-format", "unknown_format", "audio.format", "ogg"));
        p.add(headerPoison(in, "p-missing-rate", "missing_sample_rate", "audio.sample-rate", null));
        p.add(headerPoison(in, "p-invalid-rate", "invalid_sample_rate", "audio.sample-rate", "0"));
        p.add(headerPoison(in, "p-missing-channels", "missing_channels", "audio.channels", null));
        p.add(headerPoison(in, "p-invalid-channels", "invalid_channels", "audio.channels", "65"));
        p.add(headerPoison(in, "p-missing-schema", "missing_schema", "audio.schema", null));
        p.add(headerPoison(in, "p-unsupported-schema", "unsupported_schema", "audio.schema", "2"));
        var twice = message(in, utf8("p-duplicate-header"), pcm, pcmHeaders(0, true));
        twice.headers().add("audio.seq", utf8("1"));
        p.add(new Poison("p-duplicate-header", "duplicate_header", List.of(twice)));
        p.add(
                new Poison(
                        "p-empty-value",
                        "empty_value",
                        List.of(
                                message(
                                        in,
                                        utf8("p-empty-value"),
                                        new byte[0],
                                        pcmHeaders(0, false)))));
        // A null value (a tombstone, as `kcat -Z` sends an empty one) is an empty value too.
        p.add(
                new Poison(
                        "p-null-value",
                        "empty_value",
                        List.of(message(in, utf8("p-null-value"), null, pcmHeaders(0, false)))));
        p.add(
                new Poison(
                        "p-oversized",
                        "oversized_value",
                        List.of(
                                message(
                                        in,
                                        utf8("p-oversized"),
                                        new byte[MAX_MESSAGE_BYTES + 2],
                                        pcmHeaders(0, true)))));
        Map<String, String> bigHeaders = pcmHeaders(0, true);
        bigHeaders.put("audio.meta.note", "x".repeat(70 * 1024));
        p.add(
                new Poison(
                        "p-big-headers",
                        "headers_too_large",
                        List.of(message(in, utf8("p-big-headers"), pcm, bigHeaders))));
        byte[] k = utf8("p-duplicate-seq");
        p.add(
                new Poison(
                        "p-duplicate-seq",
                        "duplicate_seq",
                        List.of(
                                message(in, k, pcm, pcmHeaders(0, false)),
                                // the same number with other bytes: a retry would repeat them
                                message(in, k, louder(pcm), pcmHeaders(0, false)),
                                message(in, k, pcm, pcmHeaders(1, true)))));
        k = utf8("p-after-last");
        p.add(
                new Poison(
                        "p-after-last",
                        "chunk_after_last",
                        List.of(
                                message(in, k, pcm, pcmHeaders(0, true)),
                                message(in, k, pcm, pcmHeaders(1, false)))));
        p.add(
                new Poison(
                        "p-out-of-range",
                        "seq_out_of_range",
                        List.of(
                                message(
                                        in,
                                        utf8("p-out-of-range"),
                                        pcm,
                                        pcmHeaders(5_000, true)))));
        k = utf8("p-format-changed");
        Map<String, String> eightK = pcmHeaders(1, true);
        eightK.put("audio.sample-rate", "8000");
        p.add(
                new Poison(
                        "p-format-changed",
                        "format_changed",
                        List.of(
                                message(in, k, pcm, pcmHeaders(0, false)),
                                message(in, k, pcm, eightK))));
        k = utf8("p-reorder-full");
        byte[] big = new byte[40_000];
        p.add(
                new Poison(
                        "p-reorder-full",
                        "reorder_buffer_full",
                        List.of(
                                message(in, k, big, pcmHeaders(2, false)),
                                message(in, k, big, pcmHeaders(3, false)),
                                message(in, k, big, pcmHeaders(4, false)))));
        byte[] corruptWav = "RIFF\0\0\0\0WAVEthis is not audio".getBytes(StandardCharsets.US_ASCII);
        p.add(
                new Poison(
                        "p-truncated.wav",
                        "truncated_header",
                        List.of(
                                message(
                                        in,
                                        utf8("p-truncated.wav"),
                                        corruptWav,
                                        containerHeaders(0, true, "wav")))));
        ByteBuffer nan = ByteBuffer.allocate(4 * 1600).order(ByteOrder.LITTLE_ENDIAN);
        while (nan.hasRemaining()) nan.putFloat(Float.NaN);
        p.add(
                new Poison(
                        "p-nan.f32",
                        "invalid_samples",
                        List.of(message(in, utf8("p-nan.f32"), nan.array(), f32Headers(0, true)))));
        k = utf8("p-upstream.f32");
        p.add(
                new Poison(
                        "p-upstream.f32",
                        "invalid_samples",
                        List.of(
                                message(in, k, nan.array(), f32Headers(0, false)),
                                message(in, k, nan.array(), f32Headers(1, true)))));
        // An empty last chunk is allowed (it closes a recording); a recording of nothing is not.
        p.add(
                new Poison(
                        "p-nothing",
                        "empty_audio",
                        List.of(message(in, utf8("p-nothing"), new byte[0], pcmHeaders(0, true)))));
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        p.add(
                new Poison(
                        "p-garbage.flac",
                        "malformed_audio",
                        List.of(
                                message(
                                        in,
                                        utf8("p-garbage.flac"),
                                        noise,
                                        containerHeaders(0, true, "flac")))));
        return p;
    }

    private static byte[] louder(byte[] pcm) {
        byte[] other = pcm.clone();
        for (int i = 1; i < other.length; i += 2) other[i] = 0x10;
        return other;
    }

    private static Map<String, String> f32Headers(long seq, boolean last) {
        Map<String, String> h = pcmHeaders(seq, last);
        h.put("audio.format", "pcm_f32le");
        return h;
    }

    private static Poison headerPoison(
            String in, String key, String code, String header, String value) {
        Map<String, String> h = pcmHeaders(0, true);
        if (value == null) h.remove(header);
        else h.put(header, value);
        return new Poison(key, code, List.of(message(in, utf8(key), new byte[3200], h)));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documentedResultFields() throws Exception {
        Map<String, Object> doc =
                new Yaml(new SafeConstructor(new LoaderOptions()))
                        .load(Files.readString(Path.of("../config/asyncapi.yaml")));
        Map<String, Object> n = doc;
        for (String p : List.of("components", "messages", "result", "payload", "properties"))
            n = (Map<String, Object>) n.get(p);
        return n.keySet();
    }

    private static Set<String> fieldNames(Iterable<JsonNode> results) {
        Set<String> names = new TreeSet<>();
        for (JsonNode r : results) r.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
