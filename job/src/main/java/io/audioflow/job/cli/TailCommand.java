package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.TopicReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description =
                "Print the results (or dead letters) topic from the beginning, reading committed records only, and follow it.")
final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Format {
        table,
        jsonl
    }

    @Mixin KafkaClientOptions kafkaClient;

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "audio.results",
            description =
                    "audio.results, audio.dlq or another topic of either shape. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--format",
            defaultValue = "jsonl",
            description = "jsonl or table. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--max-records", description = "Stop after this many records.")
    Integer maxRecords;

    @Option(
            names = "--duration-s",
            description = "Stop after this many seconds (default: follow until interrupted).")
    Long durationS;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean deadLetters = topic.contains("dlq");
        if (format == Format.table && deadLetters) out.println(DeadLetterTable.tableHeader());
        ResultTable.Streaming table =
                format == Format.table && !deadLetters
                        ? new ResultTable.Streaming(ResultTable.SUMMARY, out)
                        : null;
        AtomicInteger seen = new AtomicInteger();
        Duration duration =
                durationS == null ? Duration.ofDays(36500) : Duration.ofSeconds(durationS);
        try (TopicReader reader =
                new TopicReader(kafkaClient.connection(bootstrapServers), topic)) {
            reader.follow(
                    r -> {
                        if (maxRecords != null && seen.get() >= maxRecords) return;
                        seen.incrementAndGet();
                        if (deadLetters) {
                            out.println(
                                    format == Format.table
                                            ? DeadLetterTable.row(r)
                                            : DeadLetterTable.json(r));
                        } else if (format == Format.table) {
                            table.add(tree(r.value()));
                        } else {
                            out.println(new String(r.value(), StandardCharsets.UTF_8));
                        }
                        out.flush();
                    },
                    () -> maxRecords != null && seen.get() >= maxRecords,
                    duration);
        }
        return 0;
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode().put("recording_id", "(not JSON)");
        }
    }
}
