package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL files analysts run (config/sql) on Flink SQL, against topics the streaming job filled:
 * the table definitions are executed as written (with this broker's address and topics), and each
 * example query's rows are checked against the results and dead letters read with a plain consumer.
 */
class AnalystSqlITCase {

    private static final Path SQL = Path.of("../config/sql");
    private static final Pattern SET = Pattern.compile("SET '([^']+)' = '([^']+)'");

    private static EmbeddedKafka kafka;
    private static KafkaSettings topics;
    private static List<JsonNode> results;
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters;

    @BeforeAll
    static void fillTheTopics(@TempDir Path tmp) throws Exception {
        kafka = EmbeddedKafka.start();
        topics = KafkaFixture.freshTopics(kafka, 2);
        List<Path> files;
        try (Stream<Path> list = Files.list(KafkaFixture.AUDIO)) {
            files = list.sorted().toList();
        }
        try (ChunkPublisher publisher =
                new ChunkPublisher(kafka.bootstrapServers(), topics.inputTopic(), 500, Map.of())) {
            for (Path f : files)
                publisher.publish(f, f.getFileName().toString(), "pcm_s16le", 0, 0);
        }
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            String in = topics.inputTopic();
            byte[] corrupt = KafkaFixture.utf8("RIFF\0\0\0\0WAVEnot audio");
            producer.send(
                    KafkaFixture.message(
                            in,
                            KafkaFixture.utf8("bad.wav"),
                            corrupt,
                            KafkaFixture.containerHeaders(0, true, "wav")));
            producer.send(
                    KafkaFixture.message(
                            in,
                            KafkaFixture.utf8("odd.ogg"),
                            new byte[] {1, 2, 3},
                            KafkaFixture.containerHeaders(0, true, "ogg")));
            producer.send(
                    KafkaFixture.message(
                            in, null, corrupt, KafkaFixture.containerHeaders(0, true, "wav")));
        }
        ValidatedPipeline pipeline = KafkaFixture.defaultPipeline();
        JobClient job =
                KafkaFixture.startJob(
                        pipeline,
                        topics,
                        KafkaFixture.testExecution(pipeline, tmp),
                        null,
                        ReassemblyLimits.defaults(),
                        "analyst sql");
        try {
            results =
                    KafkaFixture.results(
                            kafka.bootstrapServers(),
                            topics.resultsTopic(),
                            files.size() + 1,
                            Duration.ofSeconds(120));
            try (TopicReader reader =
                    new TopicReader(kafka.bootstrapServers(), topics.dlqTopic())) {
                deadLetters = reader.read(3, Duration.ofSeconds(60));
            }
        } finally {
            job.cancel().get();
        }
        assertThat(results).hasSize(files.size() + 1);
        assertThat(deadLetters).hasSize(3);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    void verdictsPerHourCountEveryResultOnce() throws Exception {
        Map<String, Long> expected =
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.path("decision").path("verdict").asText(),
                                        TreeMap::new,
                                        Collectors.counting()));
        Map<String, Long> counted = new TreeMap<>();
        for (Row row : query("verdicts-per-hour.sql"))
            counted.merge(
                    (String) row.getField("verdict"), (Long) row.getField("recordings"), Long::sum);
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void theWorstSnrComesFirst() throws Exception {
        List<JsonNode> withSnr =
                new ArrayList<>(
                        results.stream()
                                .filter(r -> r.path("metrics").path("snr.wada_db").isNumber())
                                .toList());
        withSnr.sort(
                Comparator.comparingDouble(
                                (JsonNode r) -> r.path("metrics").path("snr.wada_db").asDouble())
                        .thenComparing(r -> r.path("recording_id").asText()));
        List<Row> rows = query("worst-snr.sql");
        assertThat(rows).hasSize(Math.min(10, withSnr.size()));
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = withSnr.get(i);
            assertThat(rows.get(i).getField("recording_id"))
                    .isEqualTo(r.path("recording_id").asText());
            assertThat((Double) rows.get(i).getField("snr_db"))
                    .isEqualTo(r.path("metrics").path("snr.wada_db").asDouble());
            assertThat(rows.get(i).getField("verdict"))
                    .isEqualTo(r.path("decision").path("verdict").asText());
        }
    }

    @Test
    void deadLettersByCodeAndStageMatchTheirHeaders() throws Exception {
        Map<String, Long> expected =
                deadLetters.stream()
                        .collect(
                                Collectors.groupingBy(
                                        d ->
                                                KafkaFixture.header(d, "audioflow.error.code")
                                                        + "@"
                                                        + KafkaFixture.header(
                                                                d, "audioflow.error.stage"),
                                        TreeMap::new,
                                        Collectors.counting()));
        assertThat(expected).containsKeys("unknown_format@ingest", "missing_key@ingest");
        Map<String, Long> counted = new TreeMap<>();
        for (Row row : query("dlq-by-code.sql"))
            counted.put(
                    row.getField("error_code") + "@" + row.getField("error_stage"),
                    (Long) row.getField("dead_letters"));
        assertThat(counted).isEqualTo(expected);
    }

    /**
     * Runs tables.sql as written, but for this broker and topics, then the query in {@code file}.
     */
    private static List<Row> query(String file) throws Exception {
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        for (String statement : statements(Files.readString(SQL.resolve("tables.sql")))) {
            Matcher set = SET.matcher(statement);
            if (set.matches()) {
                sql.getConfig().getConfiguration().setString(set.group(1), set.group(2));
                continue;
            }
            sql.executeSql(
                    statement
                            .replace("'localhost:9092'", "'" + kafka.bootstrapServers() + "'")
                            .replace("'audio.results'", "'" + topics.resultsTopic() + "'")
                            .replace("'audio.dlq'", "'" + topics.dlqTopic() + "'"));
        }
        List<String> queries = statements(Files.readString(SQL.resolve(file)));
        assertThat(queries).hasSize(1);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = sql.executeSql(queries.get(0)).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** The statements of a SQL file: `--` comments dropped, split at `;` ending a line. */
    private static List<String> statements(String text) {
        String code =
                text.lines().map(l -> l.replaceAll("--.*$", "")).collect(Collectors.joining("\n"));
        return Stream.of(code.split(";\\s*(\n|$)"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
