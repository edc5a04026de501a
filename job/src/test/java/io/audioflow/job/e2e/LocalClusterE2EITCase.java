package io.audioflow.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.ChunkPublisher;
import io.audioflow.job.kafka.TopicReader;
import java.io.File;
import java.io.IOException;
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
    private static JsonNode cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = JSON.readTree(lastLine(script("up", List.of("--taskmanagers", "2"), 600)));
    }

    @AfterAll
    static void down() throws Exception {
        script("down", List.of(), 120);
        assertThat(Files.exists(RUN.resolve("cluster.json"))).isFalse();
        assertThat(RUN.resolve("tmp")).doesNotExist();
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
                                    new NewTopic("audio.dlq", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        List<Path> files;
        try (var list = Files.list(ROOT.resolve("test-data/audio"))) {
            files = list.sorted().toList();
        }
        try (ChunkPublisher publisher =
                new ChunkPublisher(bootstrap, "audio.chunks", 500, Map.of())) {
            for (Path f : files)
                publisher.publish(f, f.getFileName().toString(), "pcm_s16le", 0, 0);
        }
        List<String> jobArgs =
                List.of(
                        "--pipeline",
                        ROOT.resolve("config/pipeline.yaml").toString(),
                        "--bootstrap-servers",
                        bootstrap,
                        "--checkpoint-interval-ms",
                        "1000",
                        "--restart-attempts",
                        "1");
        String jar = ROOT.resolve("job/target/audioflow-job.jar").toString();
        String first = lastLine(script("submit", concat(List.of(jar), jobArgs), 120));

        Map<String, Integer> counts = new HashMap<>();
        List<JsonNode> results = new ArrayList<>();
        readResults(bootstrap, counts, results, files.size(), Duration.ofSeconds(120));
        assertThat(counts).hasSize(files.size());

        String savepoint = lastLine(script("stop", List.of(first), 180));
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
                lastLine(script("submit", concat(List.of("-s", savepoint, jar), jobArgs), 120));
        try {
            counts.clear();
            results.clear();
            readResults(bootstrap, counts, results, files.size() + 1, Duration.ofSeconds(120));
            Thread.sleep(3_000); // a repeated result would be committed by now
            counts.clear();
            results.clear();
            readResults(bootstrap, counts, results, Integer.MAX_VALUE, Duration.ofSeconds(3));
        } finally {
            script("cancel", List.of(second), 60);
        }
        assertThat(counts).containsKey("after-restore").hasSize(files.size() + 1);
        assertThat(counts.values()).as("exactly one result per recording").containsOnly(1);
        assertThat(results)
                .allSatisfy(
                        r -> {
                            assertThat(r.has("error")).as(r.toString()).isFalse();
                            assertThat(r.path("complete").asBoolean()).isTrue();
                        });
    }

    private static void readResults(
            String bootstrap,
            Map<String, Integer> counts,
            List<JsonNode> results,
            int distinct,
            Duration timeout) {
        try (TopicReader reader = new TopicReader(bootstrap, "audio.results")) {
            reader.follow(
                    r -> {
                        try {
                            JsonNode n = JSON.readTree(r.value());
                            results.add(n);
                            counts.merge(n.path("recording_id").asText(), 1, Integer::sum);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    () -> counts.size() >= distinct,
                    timeout);
        }
    }

    /** Runs deploy/local/cluster.py; returns its standard output, or fails with its error. */
    private static String script(String command, List<String> args, int timeoutS) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "deploy/local/cluster.py", command));
        cmd.addAll(args);
        Files.createDirectories(RUN);
        Path err = Files.createTempFile(RUN, command, ".err");
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(ROOT.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("AUDIOFLOW_RUN_DIR", RUN.toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutS + " s");
        }
        assertThat(p.exitValue())
                .as("%s %s failed: %s", command, args, Files.readString(err))
                .isZero();
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines[lines.length - 1].strip();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
