package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.TopicReader;
import io.audioflow.job.report.ResultsPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Summarise results for analysts in a self-contained HTML page: verdict counts,"
                        + " histograms of loudness, SNR and pitch, the rules that fired and the worst"
                        + " recordings with their reasons.")
final class ReportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin KafkaClientOptions kafkaClient;

    @Spec CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Parameters(
                paramLabel = "RESULTS.jsonl",
                arity = "1..*",
                description =
                        "Result files, one JSON object per line (as `analyze` and `tail --format jsonl` write).")
        List<Path> files;

        @Option(
                names = "--bootstrap-servers",
                description = "Read the results topic instead (read_committed).")
        String bootstrapServers;
    }

    @Option(
            names = "--topic",
            defaultValue = "audio.results",
            description = "With --bootstrap-servers. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--duration-s",
            defaultValue = "10",
            description =
                    "With --bootstrap-servers: read what the topic holds for this long. Default: ${DEFAULT-VALUE}.")
    long durationS;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "report.html",
            description = "Where the HTML page goes. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<JsonNode> results = new ArrayList<>();
        String from;
        if (source.bootstrapServers != null) {
            try (TopicReader reader =
                    new TopicReader(kafkaClient.connection(source.bootstrapServers), topic)) {
                for (ConsumerRecord<byte[], byte[]> r :
                        reader.readAll(Duration.ofSeconds(durationS)))
                    results.add(JSON.readTree(r.value()));
            }
            from = "Topic " + topic + " at " + source.bootstrapServers + ".";
        } else {
            for (Path f : source.files)
                for (String line : Files.readAllLines(f))
                    if (!line.isBlank()) results.add(JSON.readTree(line));
            from =
                    "From "
                            + String.join(", ", source.files.stream().map(Path::toString).toList())
                            + ".";
        }
        ResultsPage.printSummary(results, spec.commandLine().getOut());
        Files.writeString(output, ResultsPage.html(results, from));
        spec.commandLine().getErr().println("wrote " + output);
        return 0;
    }
}
