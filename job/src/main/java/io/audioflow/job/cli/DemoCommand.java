package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.ChunkPublisher;
import io.audioflow.job.kafka.EmbeddedKafka;
import io.audioflow.job.kafka.ExecutionSettings;
import io.audioflow.job.kafka.KafkaSettings;
import io.audioflow.job.kafka.TopicCheck;
import io.audioflow.job.kafka.TopicReader;
import io.audioflow.pipeline.definition.PipelineDefinition.RestartDefinition;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "The whole product on one machine: starts an embedded Kafka broker (KRaft),"
                        + " or uses yours with --bootstrap-servers, publishes the audio files as chunks plus a few deliberately malformed"
                        + " messages, runs the streaming job on a local Flink until it has read them"
                        + " all, and prints the results and the dead letters.")
final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORRUPT = "demo-corrupt.wav";

    private final Environment env;

    @Spec CommandSpec spec;

    @Option(names = "--pipeline", description = PipelineOption.DESCRIPTION)
    Path pipeline;

    @Option(
            names = "--audio",
            defaultValue = "test-data/audio",
            description = "Files or a folder to publish. Default: ${DEFAULT-VALUE}.")
    List<Path> audio;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Use this Kafka cluster instead of starting a broker: the demo publishes into"
                            + " the pipeline's topics there (which must exist), analyses only what it"
                            + " published, leaves the job's consumer group alone, and shows only its"
                            + " own results and dead letters.")
    String bootstrapServers;

    @Mixin KafkaClientOptions kafkaClient = new KafkaClientOptions();

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--no-bad-messages",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Also publish three malformed messages to show the dead letters (default: on).")
    boolean badMessages;

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "table or jsonl. Default: ${DEFAULT-VALUE}.")
    TailCommand.Format format;

    DemoCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var options = new StreamingOptions();
        options.pipeline = pipeline;
        options.parallelism = parallelism;
        options.bootstrapServers = bootstrapServers;
        options.kafkaClient = kafkaClient;
        var resolved = options.resolve(env, err);
        if (resolved.isEmpty()) return 1;
        var r = resolved.get();
        long started = System.nanoTime();
        List<Path> files = new ArrayList<>();
        for (Path a : audio) files.addAll(PublishCommand.expand(a));

        // try-with-resources skips a null resource: no broker of our own on an external cluster.
        try (EmbeddedKafka embedded = bootstrapServers == null ? EmbeddedKafka.start() : null) {
            KafkaSettings settings = r.kafka();
            if (embedded != null) {
                settings = settings.withBootstrapServers(embedded.bootstrapServers());
                embedded.createTopics(topics(settings));
                err.printf(
                        "Kafka 4.2 broker (KRaft, in process) at %s%n",
                        embedded.bootstrapServers());
            } else {
                TopicCheck.Outcome check = r.checkTopics();
                if (check instanceof TopicCheck.Failed failed) {
                    err.println("error: " + failed.line());
                    return 1;
                }
                err.printf(
                        "Kafka at %s (%s)%n",
                        settings.bootstrapServers(), settings.connection().securityProtocol());
            }
            err.flush();
            // What this demo publishes, and nothing older, is analysed and shown.
            long from = System.currentTimeMillis();
            settings = settings.startingAt(from).stoppingAtLatest();

            Set<String> recordings = new LinkedHashSet<>();
            int expectedDeadLetters = 0;
            try (ChunkPublisher publisher =
                    new ChunkPublisher(
                            settings.connection(),
                            settings.inputTopic(),
                            1000,
                            Map.of("origin", "audioflow demo"))) {
                var progress = new PublishCommand.Progress(files.size(), err);
                for (Path f : files) {
                    String id = f.getFileName().toString();
                    recordings.add(id);
                    progress.add(publisher.publish(f, id, "pcm_s16le", 0, 0));
                }
                progress.finish(err, settings.inputTopic());
                if (badMessages) {
                    expectedDeadLetters = publishBadMessages(publisher, settings.inputTopic());
                    recordings.add(CORRUPT); // gets a result that names its error
                    err.printf(
                            "published %d malformed messages (no key, unknown format, corrupt audio)%n",
                            expectedDeadLetters);
                }
            }

            ExecutionSettings execution =
                    r.execution()
                            .withCheckpointInterval(1000)
                            .withRestarts(RestartDefinition.none());
            StreamExecutionEnvironment flink =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            r.parallelism(), execution.toConfiguration());
            new io.audioflow.job.kafka.StreamingJob(
                            r.pipeline(),
                            settings,
                            r.parallelism(),
                            r.pipeline().definition().limits().applyTo(ReassemblyLimits.defaults()),
                            options.maxMessageBytes)
                    .build(flink);
            err.println("running the streaming job on a local Flink ...");
            err.flush();
            flink.execute("audioflow demo: " + r.pipeline().definition().name());

            List<JsonNode> results = new ArrayList<>();
            try (TopicReader reader =
                    new TopicReader(settings.connection(), settings.resultsTopic()).from(from)) {
                reader.follow(
                        rec -> {
                            JsonNode n = readJson(rec.value());
                            if (recordings.contains(n.path("recording_id").asText()))
                                results.add(n);
                        },
                        () -> results.size() >= recordings.size(),
                        Duration.ofSeconds(30));
            }
            List<ConsumerRecord<byte[], byte[]>> deadLetters;
            try (TopicReader reader =
                    new TopicReader(settings.connection(), settings.dlqTopic()).from(from)) {
                deadLetters = reader.read(expectedDeadLetters, Duration.ofSeconds(10));
            }
            results.sort(Comparator.comparing(n -> n.path("recording_id").asText()));
            if (format == TailCommand.Format.jsonl) {
                results.forEach(n -> out.println(n.toString()));
            } else {
                out.printf("%nResults (%s, read_committed):%n", settings.resultsTopic());
                ResultTable.print(results, ResultTable.SUMMARY, out);
                out.printf("%nDead letters (%s): %d%n", settings.dlqTopic(), deadLetters.size());
                if (!deadLetters.isEmpty()) {
                    out.println(DeadLetterTable.tableHeader());
                    deadLetters.forEach(d -> out.println(DeadLetterTable.row(d)));
                }
            }
            out.printf(
                    "%n%d result(s), %d dead letter(s) in %.1f s%n",
                    results.size(), deadLetters.size(), (System.nanoTime() - started) / 1e9);
            out.flush();
            return results.size() == recordings.size() && deadLetters.size() == expectedDeadLetters
                    ? 0
                    : 1;
        }
    }

    private static Map<String, Integer> topics(KafkaSettings settings) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(settings.inputTopic(), 2);
        topics.put(settings.resultsTopic(), 1);
        topics.put(settings.dlqTopic(), 1);
        if (settings.controlTopic() != null) {
            topics.put(settings.controlTopic(), 1);
            topics.put(settings.controlResultsTopic(), 1);
        }
        return topics;
    }

    private static JsonNode readJson(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode(); // not a result of ours: not shown
        }
    }

    /** Three kinds of bad input, one message each; returns how many dead letters they make. */
    private static int publishBadMessages(ChunkPublisher publisher, String topic) throws Exception {
        publisher.send(
                record(
                        topic,
                        null,
                        "a chunk without a key".getBytes(StandardCharsets.UTF_8),
                        "wav"));
        publisher.send(record(topic, "demo-unknown-format.ogg", new byte[] {1, 2, 3}, "ogg"));
        byte[] corrupt = "RIFF\0\0\0\0WAVEthis is not audio".getBytes(StandardCharsets.US_ASCII);
        publisher.send(record(topic, CORRUPT, corrupt, "wav"));
        return 3;
    }

    private static ProducerRecord<byte[], byte[]> record(
            String topic, String key, byte[] value, String format) {
        var r =
                new ProducerRecord<>(
                        topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        r.headers().add("audio.schema", "1".getBytes(StandardCharsets.UTF_8));
        r.headers().add("audio.seq", "0".getBytes(StandardCharsets.UTF_8));
        r.headers().add("audio.last", "true".getBytes(StandardCharsets.UTF_8));
        r.headers().add("audio.format", format.getBytes(StandardCharsets.UTF_8));
        return r;
    }
}
