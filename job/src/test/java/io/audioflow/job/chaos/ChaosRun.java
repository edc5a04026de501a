package io.audioflow.job.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.ChunkPublisher;
import io.audioflow.job.kafka.TopicReader;
import io.audioflow.job.testing.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Audio keeps arriving while the stack is hurt: on deploy/local (a broker, a JobManager, two
 * TaskManagers), the job jar runs the default pipeline while recordings of every shape are
 * published (WAV, FLAC and raw PCM), some twice in full (a producer that missed its acks), some
 * poison, and TaskManagers and the broker are killed and started again. At the end the results and
 * dead letters are read with {@code read_committed}: every good recording must have exactly one
 * result, every poison message its dead letter. {@code scripts/chaos} runs it; {@code
 * ChaosE2EITCase} runs a CI-sized one.
 */
public final class ChaosRun {

    /**
     * What to do.
     *
     * @param brokerOutage how long the broker stays down each time: long enough for the job's
     *     transactions, fetches and restarts to feel it
     * @param jobManagerKills kills of the leading JobManager; above 0 the stack runs with ZooKeeper
     *     HA ({@code up --ha}) and the standby must take the job over
     */
    public record Plan(
            int recordings,
            int taskManagerKills,
            int brokerRestarts,
            Duration brokerOutage,
            Path runDir,
            long seed,
            Duration settle,
            int jobManagerKills) {

        public static Plan standard(Path runDir) {
            return new Plan(
                    5_000, 3, 1, Duration.ofSeconds(60), runDir, 23, Duration.ofMinutes(10), 0);
        }

        public Plan withRecordings(int n) {
            return new Plan(
                    n,
                    taskManagerKills,
                    brokerRestarts,
                    brokerOutage,
                    runDir,
                    seed,
                    settle,
                    jobManagerKills);
        }

        public Plan withBrokerOutage(Duration d) {
            return new Plan(
                    recordings,
                    taskManagerKills,
                    brokerRestarts,
                    d,
                    runDir,
                    seed,
                    settle,
                    jobManagerKills);
        }

        public Plan withJobManagerKills(int n) {
            return new Plan(
                    recordings,
                    taskManagerKills,
                    brokerRestarts,
                    brokerOutage,
                    runDir,
                    seed,
                    settle,
                    n);
        }
    }

    /** What came of it. */
    public record Summary(
            int recordings,
            int results,
            int missing,
            int duplicated,
            int poison,
            int poisonInDlq,
            int faults,
            long restarts,
            String jobState,
            long wallSeconds,
            Map<String, List<Long>> recoveryMillis) {

        public boolean lossless() {
            return missing == 0 && duplicated == 0 && poisonInDlq == poison;
        }

        public String line() {
            return String.format(
                    "chaos: recordings in %d, results %d, missing %d, duplicated %d, poison in DLQ"
                            + " %d/%d, faults injected %d, job restarts %d, job %s, wall time %d s%s",
                    recordings,
                    results,
                    missing,
                    duplicated,
                    poisonInDlq,
                    poison,
                    faults,
                    restarts,
                    jobState,
                    wallSeconds,
                    recoveryMillis.isEmpty()
                            ? ""
                            : ", back to running (ms) after each fault: " + recoveryMillis);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int[] RATES = {8_000, 16_000, 44_100};
    private static final long[] CHUNK_MS = {100, 250, 500, 1_000};
    private static final List<Path> FLAC =
            List.of(
                    LocalCluster.ROOT.resolve("test-data/audio/sine-1k-16k-mono.flac"),
                    LocalCluster.ROOT.resolve("test-data/audio/speechlike-22k-stereo.flac"));

    private final Plan plan;
    private final Random random;

    public ChaosRun(Plan plan) {
        this.plan = plan;
        this.random = new Random(plan.seed());
    }

    public static void main(String[] args) throws Exception {
        Path run =
                Path.of(System.getenv().getOrDefault("AUDIOFLOW_RUN_DIR", "deploy/local/chaos-run"))
                        .toAbsolutePath();
        Plan plan = Plan.standard(run);
        List<String> numbers = new ArrayList<>(List.of(args));
        if (numbers.remove("--ha")) plan = plan.withJobManagerKills(2);
        if (numbers.size() > 0) plan = plan.withRecordings(Integer.parseInt(numbers.get(0)));
        if (numbers.size() > 1)
            plan = plan.withBrokerOutage(Duration.ofSeconds(Long.parseLong(numbers.get(1))));
        Summary s = new ChaosRun(plan).run();
        System.out.println(s.line());
        System.exit(s.lossless() ? 0 : 1);
    }

    public Summary run() throws Exception {
        long started = System.nanoTime();
        JsonNode cluster =
                JSON.readTree(
                        LocalCluster.lastLine(
                                LocalCluster.script(
                                        plan.runDir(),
                                        "up",
                                        plan.jobManagerKills() > 0
                                                ? List.of("--taskmanagers", "2", "--ha")
                                                : List.of("--taskmanagers", "2"),
                                        900)));
        try {
            return underFaults(cluster, started);
        } finally {
            LocalCluster.script(plan.runDir(), "down", List.of(), 180);
        }
    }

    private Summary underFaults(JsonNode cluster, long started) throws Exception {
        String bootstrap = cluster.path("bootstrap_servers").asText();
        Rest rest = Rest.of(cluster);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic("audio.chunks", 2, (short) 1),
                                    new NewTopic("audio.results", 1, (short) 1),
                                    new NewTopic("audio.dlq", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        String job =
                LocalCluster.lastLine(
                        LocalCluster.script(
                                plan.runDir(),
                                "submit",
                                List.of(
                                        LocalCluster.ROOT
                                                .resolve("job/target/audioflow-job.jar")
                                                .toString(),
                                        "--pipeline",
                                        LocalCluster.ROOT
                                                .resolve("config/pipeline.yaml")
                                                .toString(),
                                        "--bootstrap-servers",
                                        bootstrap,
                                        "--checkpoint-interval-ms",
                                        "2000",
                                        "--control-topic",
                                        "none"),
                                180));

        Path audio = Files.createDirectories(plan.runDir().resolve("chaos-audio"));
        Set<String> good = new java.util.TreeSet<>();
        Map<String, String> poison = new TreeMap<>(); // key -> expected code
        Map<String, List<Long>> recoveries = new TreeMap<>();
        List<Runnable> faults = faultSchedule(rest, job, recoveries);
        int batches = 20;
        int perBatch = Math.max(1, plan.recordings() / batches);
        int faultEvery = Math.max(1, batches / Math.max(1, faults.size() + 1));
        int injected = 0;
        Map<Long, ChunkPublisher> publishers = new HashMap<>();
        try {
            for (long ms : CHUNK_MS)
                publishers.put(ms, new ChunkPublisher(bootstrap, "audio.chunks", ms, Map.of()));
            int next = 0;
            for (int batch = 0; batch < batches && next < plan.recordings(); batch++) {
                int end = batch == batches - 1 ? plan.recordings() : next + perBatch;
                for (; next < Math.min(end, plan.recordings()); next++) {
                    ChunkPublisher publisher =
                            publishers.get(CHUNK_MS[random.nextInt(CHUNK_MS.length)]);
                    if (random.nextInt(100) < 5) {
                        poison(publisher, next, poison);
                        continue;
                    }
                    String id = publishOne(publisher, audio, next);
                    good.add(id);
                }
                if ((batch + 1) % faultEvery == 0 && injected < faults.size()) {
                    faults.get(injected).run();
                    injected++;
                }
            }
            while (injected < faults.size()) faults.get(injected++).run();
        } finally {
            for (ChunkPublisher p : publishers.values()) p.close();
        }

        Map<String, Integer> counts = new HashMap<>();
        try (TopicReader reader = new TopicReader(bootstrap, "audio.results")) {
            reader.follow(
                    r -> {
                        try {
                            String id = JSON.readTree(r.value()).path("recording_id").asText();
                            counts.merge(id, 1, Integer::sum);
                        } catch (IOException e) {
                            counts.merge("(unreadable)", 1, Integer::sum);
                        }
                    },
                    () -> counts.keySet().containsAll(good),
                    plan.settle());
        }
        // A little longer, so that a duplicate committed late is seen too.
        try (TopicReader reader = new TopicReader(bootstrap, "audio.results")) {
            counts.clear();
            for (ConsumerRecord<byte[], byte[]> r : reader.readAll(Duration.ofSeconds(10)))
                counts.merge(
                        JSON.readTree(r.value()).path("recording_id").asText(), 1, Integer::sum);
        }
        Map<String, String> lettered = new HashMap<>();
        try (TopicReader reader = new TopicReader(bootstrap, "audio.dlq")) {
            for (ConsumerRecord<byte[], byte[]> r : reader.readAll(Duration.ofSeconds(5))) {
                String key =
                        r.key() == null ? "(null)" : new String(r.key(), StandardCharsets.UTF_8);
                var code = r.headers().lastHeader("audioflow.error.code");
                if (code != null)
                    lettered.put(key, new String(code.value(), StandardCharsets.UTF_8));
            }
        }
        int missing = (int) good.stream().filter(id -> !counts.containsKey(id)).count();
        int duplicated = (int) counts.values().stream().filter(c -> c > 1).count();
        int poisonSeen =
                (int)
                        poison.entrySet().stream()
                                .filter(e -> e.getValue().equals(lettered.get(e.getKey())))
                                .count();
        JsonNode state = rest.get("/jobs/" + job);
        long restarts = restarts(rest, job);
        return new Summary(
                good.size(),
                good.stream().mapToInt(id -> counts.getOrDefault(id, 0)).sum(),
                missing,
                duplicated,
                poison.size(),
                poisonSeen,
                faults.size(),
                restarts,
                state.path("state").asText("?"),
                (System.nanoTime() - started) / 1_000_000_000,
                recoveries);
    }

    /**
     * TaskManager kills (each of one that runs tasks, started again after the job runs without it),
     * then broker restarts, then kills of the leading JobManager (each started again once the
     * standby runs the job). How long the job took to run every task again after each fault goes to
     * {@code recoveries}, by the kind of fault: from the kill for a TaskManager or JobManager, from
     * the broker's start for the broker.
     */
    private List<Runnable> faultSchedule(
            Rest rest, String job, Map<String, List<Long>> recoveries) {
        List<Runnable> faults = new ArrayList<>();
        for (int i = 0; i < plan.taskManagerKills(); i++) {
            faults.add(
                    () -> {
                        String tm = busyTaskManager(rest);
                        long killed = System.nanoTime();
                        script("tm", "kill", tm);
                        if (sawFailure(rest, job, Duration.ofSeconds(60)))
                            recovered(recoveries, "taskmanager", untilRunning(rest, job, killed));
                        script("tm", "start", tm);
                    });
        }
        for (int i = 0; i < plan.brokerRestarts(); i++)
            faults.add(
                    () -> {
                        long killed = System.nanoTime();
                        script("broker", "kill");
                        sawFailure(rest, job, plan.brokerOutage());
                        long left = killed + plan.brokerOutage().toNanos() - System.nanoTime();
                        sleep(Duration.ofNanos(Math.max(0, left)));
                        long started = System.nanoTime();
                        script("broker", "start");
                        recovered(recoveries, "broker", untilRunning(rest, job, started));
                    });
        for (int i = 0; i < plan.jobManagerKills(); i++)
            faults.add(
                    () -> {
                        long killed = System.nanoTime();
                        String out = script("jm", "kill", "leader");
                        // "killed jobmanager-N (pid P)"
                        String name = out.split(" ")[1];
                        // The dead leader's REST answers no more; the standby's says RUNNING only
                        // once it has won the election, recovered the job and deployed its tasks.
                        sleep(Duration.ofSeconds(1));
                        recovered(recoveries, "jobmanager", untilRunning(rest, job, killed));
                        script("jm", "start", name.substring("jobmanager-".length()));
                    });
        return faults;
    }

    private static void recovered(Map<String, List<Long>> recoveries, String fault, long millis) {
        recoveries.computeIfAbsent(fault, f -> new ArrayList<>()).add(millis);
    }

    /** True once some task of the job is not running (the fault reached it), within {@code d}. */
    private static boolean sawFailure(Rest rest, String job, Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < deadline) {
            if (!allRunning(rest, job)) return true;
            sleep(Duration.ofMillis(200));
        }
        return false;
    }

    /** Milliseconds from {@code since} until every task of the job runs (again). */
    private static long untilRunning(Rest rest, String job, long since) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (allRunning(rest, job)) return (System.nanoTime() - since) / 1_000_000;
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("the job did not run again within 5 minutes");
    }

    private static boolean allRunning(Rest rest, String job) {
        try {
            JsonNode vertices = rest.get("/jobs/" + job).path("vertices");
            boolean running = vertices.size() > 0;
            for (JsonNode v : vertices) running &= "RUNNING".equals(v.path("status").asText());
            return running;
        } catch (Exception e) {
            return false; // no JobManager answers (a failover): not running
        }
    }

    /** One recording: 1–3 s at 8, 16 or 44.1 kHz, mono or stereo, WAV or raw PCM; 3 % twice. */
    private String publishOne(ChunkPublisher publisher, Path dir, int index) throws Exception {
        int rate = RATES[random.nextInt(RATES.length)];
        int channels = 1 + random.nextInt(2);
        double seconds = 1 + 2 * random.nextDouble();
        int kind = random.nextInt(10);
        String format = kind == 0 ? "flac" : kind <= 5 ? "wav" : "pcm";
        String id = String.format("chaos-%05d.%s", index, format);
        Path file = dir.resolve(id);
        switch (format) {
            // FLAC needs an encoder this JVM lacks: the repository's FLAC recordings, renamed.
            case "flac" -> Files.copy(FLAC.get(random.nextInt(FLAC.size())), file);
            case "wav" ->
                    Files.write(
                            file,
                            wavOf(
                                    tone(rate, channels, seconds, 110 + random.nextInt(300)),
                                    rate,
                                    channels));
            default -> Files.write(file, tone(rate, channels, seconds, 110 + random.nextInt(300)));
        }
        var recording =
                publisher
                        .messages(
                                file, id, format.equals("pcm") ? "pcm_s16le" : null, rate, channels)
                        .messages();
        int times = random.nextInt(100) < 3 ? 2 : 1;
        for (int t = 0; t < times; t++) for (var m : recording) publisher.send(m);
        Files.delete(file);
        return id;
    }

    /** One poison message of a class chosen at random, with the code its dead letter must carry. */
    private void poison(ChunkPublisher publisher, int index, Map<String, String> expected)
            throws Exception {
        String key = String.format("poison-%05d", index);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("audio.schema", "1");
        headers.put("audio.seq", "0");
        headers.put("audio.last", "true");
        headers.put("audio.format", "pcm_s16le");
        headers.put("audio.sample-rate", "16000");
        headers.put("audio.channels", "1");
        byte[] value = new byte[3_200];
        String code;
        switch (random.nextInt(5)) {
            case 0 -> {
                headers.put("audio.last", "false");
                value = new byte[0];
                code = "empty_value";
            }
            case 1 -> {
                headers.put("audio.format", "ogg");
                code = "unknown_format";
            }
            case 2 -> {
                headers.remove("audio.seq");
                code = "missing_seq";
            }
            case 3 -> {
                headers.put("audio.format", "wav");
                headers.remove("audio.sample-rate");
                headers.remove("audio.channels");
                value = "RIFF....WAVEfmt ".getBytes(StandardCharsets.US_ASCII);
                code = "truncated_header";
            }
            default -> {
                headers.put("audio.sample-rate", "0");
                code = "invalid_sample_rate";
            }
        }
        var record =
                new ProducerRecord<>("audio.chunks", key.getBytes(StandardCharsets.UTF_8), value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        publisher.send(record);
        expected.put(key, code);
    }

    private static byte[] tone(int rate, int channels, double seconds, double hz) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            short v = (short) (8_000 * Math.sin(2 * Math.PI * hz * i / rate));
            for (int c = 0; c < channels; c++) b.putShort(v);
        }
        return b.array();
    }

    private static byte[] wavOf(byte[] pcm, int rate, int channels) {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length);
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1);
        b.putShort((short) channels).putInt(rate).putInt(rate * channels * 2);
        b.putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(pcm.length).put(pcm);
        return b.array();
    }

    private String script(String... args) {
        try {
            return LocalCluster.script(
                    plan.runDir(), args[0], List.of(args).subList(1, args.length), 180);
        } catch (Exception e) {
            throw new IllegalStateException("deploy/local " + String.join(" ", args), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The number of a TaskManager with a slot in use (deploy/local names them taskmanager-N),
     * waiting while the job is still recovering from the fault before.
     */
    private static String busyTaskManager(Rest rest) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                for (JsonNode tm : rest.get("/taskmanagers").path("taskmanagers")) {
                    String id = tm.path("id").asText();
                    if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()
                            && id.startsWith("taskmanager-"))
                        return id.substring("taskmanager-".length());
                }
            } catch (Exception e) {
                // the JobManager is busy or restarting: ask again
            }
            sleep(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("no TaskManager ran a task within 3 minutes");
    }

    /**
     * The JobManagers' REST endpoints: with HA any of them serves the cluster, so a request goes to
     * the first that answers (a killed one refuses the connection).
     */
    private record Rest(List<String> urls) {

        static Rest of(JsonNode cluster) {
            List<String> urls = new ArrayList<>();
            cluster.path("rests").forEach(u -> urls.add(u.asText()));
            if (urls.isEmpty()) urls.add(cluster.path("rest").asText());
            return new Rest(List.copyOf(urls));
        }

        JsonNode get(String path) throws Exception {
            IOException last = null;
            for (String base : urls) {
                try {
                    HttpResponse<String> r =
                            HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + path))
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    return JSON.readTree(r.body());
                } catch (IOException e) {
                    last = e;
                }
            }
            throw last;
        }
    }

    /**
     * The REST metrics are a cache the JobManager fills asynchronously (every {@code
     * metrics.fetcher.update-interval}, 10 s by default), so the first request may find none.
     */
    private static long restarts(Rest rest, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode m : rest.get("/jobs/" + job + "/metrics?get=numRestarts"))
                return m.path("value").asLong();
            if (System.nanoTime() > deadline) return -1;
            Thread.sleep(1000);
        }
    }
}
