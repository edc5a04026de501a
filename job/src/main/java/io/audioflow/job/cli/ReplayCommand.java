package io.audioflow.job.cli;

import io.audioflow.job.replay.DeadLetterSelection;
import io.audioflow.job.replay.Replayer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Publish failed recordings again after a fix: the recordings of the selected dead"
                        + " letters, whole, from the input topic (or from --file), as"
                        + " <id>~replay-<attempt> with replay_of and replay_attempt in their"
                        + " results. An attempt already in the input topic is not sent twice.")
final class ReplayCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin KafkaClientOptions kafkaClient;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "audio.chunks",
            description = "The input topic, read and written. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--dlq-topic",
            defaultValue = "audio.dlq",
            description = "The dead-letter topic. Default: ${DEFAULT-VALUE}.")
    String dlqTopic;

    @Option(
            names = "--code",
            paramLabel = "CODE",
            description = "Only these error codes; repeatable.")
    Set<String> codes = Set.of();

    @Option(
            names = "--stage",
            paramLabel = "STAGE",
            description = "Only dead letters of these stages (ingest, decode, …); repeatable.")
    Set<String> stages = Set.of();

    @Option(
            names = "--key",
            paramLabel = "ID",
            description = "Only these recordings (the dead letter's key); repeatable.")
    Set<String> keys = Set.of();

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description =
                    "Dead letters from this time on: an instant (2026-12-07T10:00:00Z) or an age (90m, 2h, 3d).")
    String since;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            description = "Dead letters before this time, as --since.")
    String until;

    @Option(
            names = "--file",
            paramLabel = "ID=PATH",
            description =
                    "Replay recording ID from this file's bytes (a fixed copy) instead of its chunks"
                            + " in the input topic; repeatable.")
    Map<String, Path> files = new LinkedHashMap<>();

    @Option(
            names = "--chunk-ms",
            defaultValue = "1000",
            description = "Chunk length for --file recordings. Default: ${DEFAULT-VALUE}.")
    long chunkMs;

    @Option(names = "--dry-run", description = "Print what would be published; publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (var f : files.entrySet())
            if (!Files.isReadable(f.getValue()))
                throw new ParameterException(
                        spec.commandLine(),
                        "--file " + f.getKey() + "=" + f.getValue() + ": cannot read the file");
        DeadLetterSelection selection =
                new DeadLetterSelection(codes, stages, time(since), time(until), keys);
        Replayer replayer =
                new Replayer(
                        kafkaClient.connection(bootstrapServers), topic, dlqTopic, files, chunkMs);
        Replayer.Selected selected = replayer.select(selection);
        if (selected.withoutKey() > 0)
            out.printf(
                    "skipped %d dead letter(s) without a key: a recording without an id cannot be"
                            + " replayed%n",
                    selected.withoutKey());
        if (selected.partitionByKey().isEmpty()) {
            out.println("no dead letters in " + dlqTopic + " match; nothing to replay");
            return 0;
        }
        List<Replayer.Outcome> outcomes = replayer.replay(selected, dryRun);
        int cannot = 0;
        for (Replayer.Outcome o : outcomes) {
            if (o instanceof Replayer.Replayed r) {
                out.printf(
                        "%s %s as %s: %d chunk(s), %d bytes, from %s%n",
                        dryRun ? "would replay" : "replayed",
                        r.key(),
                        r.target(),
                        r.chunks(),
                        r.bytes(),
                        r.from());
            } else if (o instanceof Replayer.AlreadyReplayed a) {
                out.printf(
                        "already replayed %s as %s (in %s); if that failed too, its own dead"
                                + " letters replay as the next attempt%n",
                        a.key(), a.target(), topic);
            } else if (o instanceof Replayer.CannotReplay c) {
                cannot++;
                out.printf("cannot replay %s: %s%n", c.key(), c.reason());
            }
        }
        out.flush();
        return cannot > 0 ? 1 : 0;
    }

    private Instant time(String text) {
        if (text == null) return null;
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration age =
                        switch (t.charAt(t.length() - 1)) {
                            case 's' -> Duration.ofSeconds(n);
                            case 'm' -> Duration.ofMinutes(n);
                            case 'h' -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        };
                return Instant.now().minus(age);
            }
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "`"
                            + text
                            + "` is not a time: write an instant (2026-12-07T10:00:00Z) or an age"
                            + " (90m, 2h, 3d)");
        }
    }
}
