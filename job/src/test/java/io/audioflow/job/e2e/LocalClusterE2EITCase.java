package io.audioflow.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.control.ControlAck;
import io.audioflow.job.control.ControlClient;
import io.audioflow.job.control.ControlUpdate;
import io.audioflow.job.kafka.ChunkPublisher;
import io.audioflow.job.kafka.EmbeddedKafka;
import io.audioflow.job.kafka.KafkaConnection;
import io.audioflow.job.testing.CommittedResults;
import io.audioflow.job.testing.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product as a data-platform team runs it: a Kafka broker, a JobManager and two TaskManagers,
 * each its own JVM (deploy/local), the shaded job jar submitted over REST, stopped with a savepoint
 * and resumed from it. Every recording gets exactly one committed result.
 */
class LocalClusterE2EITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RUN = Path.of("target/e2e-run").toAbsolutePath();
    private static final String CORRUPT = "e2e-corrupt.wav";
    private static JsonNode cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster =
                JSON.readTree(
                        LocalCluster.lastLine(
                                LocalCluster.script(
                                        RUN,
                                        "up",
                                        List.of("--taskmanagers", "2", "--json-logs"),
                                        600)));
    }

    @AfterAll
    static void down() throws Exception {
        LocalCluster.script(RUN, "down", List.of(), 120);
        assertThat(Files.exists(RUN.resolve("cluster.json"))).isFalse();
        assertThat(RUN.resolve("tmp")).doesNotExist();
    }

    /**
     * The bounded path on the cluster: the job jar with {@code --input} and {@code --output} reads
     * test-data/audio with Flink's FileSource on the TaskManagers, writes JSON lines, and ends.
     */
    @Test
    void analysesAFolderOfFilesIntoJsonLinesAndEnds() throws Exception {
        Path output = RUN.resolve("files-output-" + System.nanoTime());
        long files;
        try (var list = Files.list(ROOT.resolve("test-data/audio"))) {
            files = list.count();
        }
        String job =
                LocalCluster.lastLine(
                        LocalCluster.script(
                                RUN,
                                "submit",
                                List.of(
                                        ROOT.resolve("job/target/audioflow-job.jar").toString(),
                                        "--pipeline",
                                        ROOT.resolve("config/pipeline.yaml").toString(),
                                        "--input",
                                        ROOT.resolve("test-data/audio").toUri().toString(),
                                        "--output",
                                        output.toUri().toString(),
                                        "--checkpoint-interval-ms",
                                        "1000"),
                                120));
        List<JsonNode> results = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            results = committedLines(output.resolve("results"));
            if (results.size() >= files
                    && LocalCluster.script(RUN, "status", List.of(), 60)
                            .contains("\"id\": \"" + job + "\", \"status\": \"FINISHED\"")) break;
            Thread.sleep(1000);
        }
        assertThat(results)
                .extracting(r -> r.path("recording_id").asText())
                .hasSize((int) files)
                .doesNotHaveDuplicates();
        assertThat(results).allSatisfy(r -> assertThat(r.has("decision")).isTrue());
        assertThat(LocalCluster.script(RUN, "status", List.of(), 60))
                .contains("\"id\": \"" + job + "\", \"status\": \"FINISHED\"");
    }

    private static List<JsonNode> committedLines(Path folder) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(folder)) return out;
        try (var parts = Files.walk(folder)) {
            for (Path part :
                    parts.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .toList())
                for (String line : Files.readAllLines(part)) out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void runsOnARealClusterAndResumesFromASavepointWithoutLosingOrRepeatingResults()
            throws Exception {
        String bootstrap = cluster.path("bootstrap_servers").asText();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic("audio.chunks", 2, (short) 1),
                                    new NewTopic("audio.results", 1, (short) 1),
                                    new NewTopic("audio.dlq", 1, (short) 1),
                                    new NewTopic("audio.control", 1, (short) 1),
                                    new NewTopic("audio.control.results", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            EmbeddedKafka.awaitLeaders(
                    admin,
                    List.of(
                            "audio.chunks",
                            "audio.results",
                            "audio.dlq",
                            "audio.control",
                            "audio.control.results"));
        }
        List<Path> files;
        try (var list = Files.list(ROOT.resolve("test-data/audio"))) {
            files = list.sorted().toList();
        }
        try (ChunkPublisher publisher =
                new ChunkPublisher(bootstrap, "audio.chunks", 500, Map.of())) {
            for (Path f : files)
                publisher.publish(f, f.getFileName().toString(), "pcm_s16le", 0, 0);
            publisher.send(corruptRecording());
        }
        int recordings = files.size() + 1;
        List<String> jobArgs =
                List.of(
                        "--pipeline",
                        pipelineWithTheExamplePlugin().toString(),
                        "--bootstrap-servers",
                        bootstrap,
                        "--checkpoint-interval-ms",
                        "1000",
                        "--restart-attempts",
                        "1");
        String jar = ROOT.resolve("job/target/audioflow-job.jar").toString();
        String first =
                LocalCluster.lastLine(
                        LocalCluster.script(RUN, "submit", concat(List.of(jar), jobArgs), 120));

        Map<String, Integer> counts = new HashMap<>();
        List<JsonNode> results = new ArrayList<>();
        readResults(bootstrap, counts, results, recordings, Duration.ofSeconds(120));
        assertThat(counts).hasSize(recordings);
        assertExportsTheDashboardsMetrics();
        assertJsonLogsNameTheFailedRecording();

        // An update validated on the cluster (the external plugin comes from the TaskManager's
        // shipped copy) and kept in the savepoint: recordings after the restore run under it.
        try (ControlClient control =
                new ControlClient(
                        KafkaConnection.plain(bootstrap),
                        "audio.control",
                        "audio.control.results",
                        Duration.ofSeconds(60))) {
            ControlAck ack =
                    control.send(
                            ControlUpdate.set("e2e-1", "decision", Map.of("rules.noisy.below", 5)),
                            Duration.ofSeconds(60));
            assertThat(ack.status())
                    .as(ack.problems().toString())
                    .isEqualTo(ControlAck.Status.ACCEPTED);
            assertThat(ack.configVersion()).isEqualTo(2);
        }

        String savepoint =
                LocalCluster.lastLine(LocalCluster.script(RUN, "stop", List.of(first), 180));
        assertThat(savepoint).contains("savepoint-");

        try (ChunkPublisher publisher =
                new ChunkPublisher(bootstrap, "audio.chunks", 500, Map.of())) {
            publisher.publish(
                    ROOT.resolve("test-data/audio/speechlike-44k-stereo.wav"),
                    "after-restore",
                    "pcm_s16le",
                    0,
                    0);
        }
        String second =
                LocalCluster.lastLine(
                        LocalCluster.script(
                                RUN,
                                "submit",
                                concat(List.of("-s", savepoint, jar), jobArgs),
                                120));
        try {
            counts.clear();
            results.clear();
            readResults(bootstrap, counts, results, recordings + 1, Duration.ofSeconds(120));
            Thread.sleep(3_000); // a repeated result would be committed by now
            counts.clear();
            results.clear();
            readResults(bootstrap, counts, results, Integer.MAX_VALUE, Duration.ofSeconds(3));
        } finally {
            LocalCluster.script(RUN, "cancel", List.of(second), 60);
        }
        assertThat(counts).containsKeys("after-restore", CORRUPT).hasSize(recordings + 1);
        assertThat(counts.values()).as("exactly one result per recording").containsOnly(1);
        for (JsonNode r : results) {
            boolean corrupt = r.path("recording_id").asText().equals(CORRUPT);
            boolean afterUpdate = r.path("recording_id").asText().equals("after-restore");
            assertThat(r.at("/provenance/config_version").asLong())
                    .as("config_version of %s", r.path("recording_id"))
                    .isEqualTo(afterUpdate ? 2 : 1);
            assertThat(r.path("error").path("code").asText(""))
                    .as(r.toString())
                    .isEqualTo(corrupt ? "truncated_header" : "");
            assertThat(r.path("complete").asBoolean()).isTrue();
            if (!corrupt)
                assertThat(r.path("metrics").has("pauses.count"))
                        .as("the external plugin measured %s", r.path("recording_id"))
                        .isTrue();
        }

        // A full stop without a savepoint (cancel keeps the last checkpoint): `submit --resume`
        // finds the newest retained checkpoint by itself, and nothing is lost or repeated.
        try (ChunkPublisher publisher =
                new ChunkPublisher(bootstrap, "audio.chunks", 500, Map.of())) {
            publisher.publish(
                    ROOT.resolve("test-data/audio/sine-1k-16k-mono.wav"),
                    "after-resume",
                    "pcm_s16le",
                    0,
                    0);
        }
        String third =
                LocalCluster.lastLine(
                        LocalCluster.script(
                                RUN, "submit", concat(List.of("--resume", jar), jobArgs), 120));
        try {
            counts.clear();
            results.clear();
            readResults(bootstrap, counts, results, recordings + 2, Duration.ofSeconds(120));
            Thread.sleep(3_000);
            counts.clear();
            results.clear();
            readResults(bootstrap, counts, results, Integer.MAX_VALUE, Duration.ofSeconds(3));
        } finally {
            LocalCluster.script(RUN, "cancel", List.of(third), 60);
        }
        assertThat(counts).containsKey("after-resume").hasSize(recordings + 2);
        assertThat(counts.values()).as("exactly one result per recording").containsOnly(1);
    }

    /**
     * The default pipeline plus a stage run by the example external plugin, whose jar lies in a
     * plugins folder of its own: the job must ship it to the TaskManagers.
     */
    @SuppressWarnings("unchecked")
    private static Path pipelineWithTheExamplePlugin() throws IOException {
        Path plugins = Files.createDirectories(RUN.resolveSibling("e2e-plugins"));
        try (var built =
                Files.newDirectoryStream(
                        ROOT.resolve("plugins/example-pauses/target"),
                        "audioflow-plugin-example-pauses-*.jar")) {
            for (Path jar : built)
                Files.copy(
                        jar,
                        plugins.resolve(jar.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        var yaml = new org.yaml.snakeyaml.Yaml();
        Map<String, Object> pipeline =
                yaml.load(Files.readString(ROOT.resolve("config/pipeline.yaml")));
        ((List<Object>) pipeline.get("stages"))
                .add(
                        Map.of(
                                "name",
                                "pauses",
                                "processor",
                                "pauses@^1.0",
                                "dependencies",
                                List.of("preprocess")));
        pipeline.put("plugins", Map.of("paths", List.of(plugins.toString())));
        Path file = RUN.resolveSibling("e2e-pipeline.yaml");
        Files.writeString(file, yaml.dump(pipeline));
        return file;
    }

    /** One recording whose audio cannot be decoded: a failure, a dead letter, and a result. */
    private static ProducerRecord<byte[], byte[]> corruptRecording() {
        var r =
                new ProducerRecord<>(
                        "audio.chunks",
                        CORRUPT.getBytes(StandardCharsets.UTF_8),
                        "RIFF\0\0\0\0WAVEnot audio".getBytes(StandardCharsets.US_ASCII));
        for (String[] h :
                new String[][] {
                    {"audio.schema", "1"},
                    {"audio.seq", "0"},
                    {"audio.last", "true"},
                    {"audio.format", "wav"}
                }) r.headers().add(h[0], h[1].getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /**
     * Scrapes every Prometheus endpoint of the cluster (the reporters take the first free port of
     * 9250-9270) and checks that each series the dashboard uses is there, and that audio moved.
     */
    /**
     * With {@code up --json-logs} every TaskManager log line is one JSON object, and the decoder's
     * failure on the corrupt recording carries its fields for a log platform to index.
     */
    private static void assertJsonLogsNameTheFailedRecording() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (var logs = Files.newDirectoryStream(RUN.resolve("logs"), "taskmanager-*.log")) {
            for (Path log : logs)
                for (String line : Files.readAllLines(log))
                    if (!line.isBlank()) lines.add(JSON.readTree(line)); // throws if not JSON
        }
        assertThat(lines)
                .anySatisfy(
                        l -> {
                            assertThat(l.path("audioflow.recording_id").asText())
                                    .isEqualTo(CORRUPT);
                            assertThat(l.path("audioflow.stage").asText()).isEqualTo("decode");
                            assertThat(l.path("audioflow.error_code").asText())
                                    .isEqualTo("truncated_header");
                            assertThat(l.path("audioflow.job").asText()).startsWith("audioflow: ");
                            assertThat(l.path("log.level").asText()).isEqualTo("WARN");
                        });
        // The external plugin came to the TaskManagers through Flink's distributed cache, not
        // from the folder the pipeline names.
        assertThat(lines)
                .anySatisfy(
                        l -> {
                            assertThat(l.path("audioflow.plugin").asText())
                                    .isEqualTo("pauses@1.0.0");
                            assertThat(l.path("message").asText())
                                    .contains("event=loaded source=")
                                    .contains("flink-dist-cache")
                                    .doesNotContain(
                                            "source=file:" + RUN.resolveSibling("e2e-plugins"));
                        });
    }

    private static void assertExportsTheDashboardsMetrics() throws Exception {
        List<String> wanted =
                Files.readAllLines(ROOT.resolve("deploy/prometheus/audioflow-metrics.txt")).stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .toList();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> missing = wanted;
        StringBuilder scraped = new StringBuilder();
        while (System.nanoTime() < deadline) {
            scraped.setLength(0);
            for (int port = 9250; port <= 9270; port++) {
                try {
                    scraped.append(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + port
                                                                            + "/metrics"))
                                                    .timeout(Duration.ofSeconds(5))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body());
                } catch (IOException notThere) {
                    // no reporter on this port
                }
            }
            String text = scraped.toString();
            missing = wanted.stream().filter(m -> !text.contains(m + "{")).toList();
            if (missing.isEmpty()) break;
            Thread.sleep(2_000); // the reporter registers counters on their first event
        }
        assertThat(missing).as("series the dashboard uses but nobody exports").isEmpty();
        double audioSeconds =
                scraped.toString()
                        .lines()
                        .filter(
                                l ->
                                        l.startsWith(
                                                "flink_taskmanager_job_task_operator_audioflow_stage_audioSecondsProcessed{audioflow_stage=\"loudness\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum();
        assertThat(audioSeconds).as("seconds of audio loudness measured").isGreaterThan(10.0);
    }

    private static void readResults(
            String bootstrap,
            Map<String, Integer> counts,
            List<JsonNode> results,
            int distinct,
            Duration timeout) {
        CommittedResults.follow(
                bootstrap,
                "audio.results",
                counts,
                results,
                () -> counts.size() >= distinct,
                timeout);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
