package io.audioflow.job.cli;

import io.audioflow.job.kafka.ChunkPublisher;
import io.audioflow.job.kafka.ConcurrentSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description =
                "Publish audio files to the input topic as chunks of the input contract (one recording per file).")
final class PublishCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "audio.chunks",
            description = "Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--chunk-ms",
            defaultValue = "1000",
            description =
                    "Audio per chunk for WAV and raw PCM (compressed files go in 256 KiB pieces). Default: ${DEFAULT-VALUE}.")
    long chunkMs;

    @Option(
            names = "--id-prefix",
            defaultValue = "",
            description = "Prefix for recording ids (the file name).")
    String idPrefix;

    @Option(
            names = "--meta",
            description = "KEY=VALUE, sent as audio.meta.KEY on the first chunk; repeatable.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(
            names = "--sources",
            paramLabel = "N",
            description =
                    "Publish as N producers at once: file i goes to source i mod N, each source sends its files"
                            + " one after another, and the sources interleave, so up to N recordings are open at once."
                            + " Default: 1 (one file after another); with --real-time, every file at once.")
    Integer sources;

    @Option(
            names = "--real-time",
            description =
                    "Send each chunk when its audio has been recorded, as live sources do (the sources start"
                            + " spread over one chunk's length).")
    boolean realTime;

    @Mixin RawAudioOptions raw;
    @Mixin KafkaClientOptions kafkaClient;

    @Parameters(
            paramLabel = "FILE|DIR",
            arity = "1..*",
            description = "Files, or folders to publish every file in.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        if (chunkMs < 10) throw new IllegalArgumentException("--chunk-ms must be at least 10");
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) files.addAll(expand(in));
        raw.requireFormatOfRawFiles(files, spec.commandLine());
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(files.size(), err);
        int failed = 0;
        try (ChunkPublisher publisher =
                new ChunkPublisher(
                        kafkaClient.connection(bootstrapServers), topic, chunkMs, metadata)) {
            if (sources != null || realTime) {
                failed = publishConcurrently(publisher, files, progress, err);
            } else {
                for (Path f : files) {
                    try {
                        progress.add(
                                publisher.publish(
                                        f,
                                        idPrefix + f.getFileName(),
                                        raw.rawFormat,
                                        raw.sampleRate,
                                        raw.channels));
                    } catch (IOException e) {
                        failed++;
                        progress.skip(f + ": " + e.getMessage());
                    }
                }
            }
        }
        progress.finish(spec.commandLine().getOut(), topic);
        return failed == 0 ? 0 : 1;
    }

    private int publishConcurrently(
            ChunkPublisher publisher, List<Path> files, Progress progress, PrintWriter err)
            throws Exception {
        int n = sources != null ? sources : files.size();
        ConcurrentSources concurrent = new ConcurrentSources(files, n, chunkMs, realTime);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        ConcurrentSources.Run run =
                concurrent.publish(
                        f ->
                                publisher.messages(
                                        f,
                                        idPrefix + f.getFileName(),
                                        raw.rawFormat,
                                        raw.sampleRate,
                                        raw.channels),
                        r -> {
                            sent.add(publisher.sendAsync(r));
                            if (sent.size() >= 10_000) awaitAll(sent);
                        },
                        progress::add,
                        progress::skip);
        awaitAll(sent);
        if (realTime) {
            err.printf(
                    "published in real time from %d (epoch ms); the latest message was %d ms late%n",
                    run.startEpochMillis(), run.maxLateMillis());
        }
        return run.failedFiles();
    }

    private static void awaitAll(List<Future<RecordMetadata>> sent) throws Exception {
        for (Future<RecordMetadata> f : sent) f.get();
        sent.clear();
    }

    static List<Path> expand(Path input) throws IOException {
        if (!Files.isDirectory(input)) return List.of(input);
        try (Stream<Path> files = Files.list(input)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** A one-line progress bar on stderr (redrawn in place on a terminal) and the summary. */
    static final class Progress {
        private final int total;
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private int files;
        private long messages;
        private long bytes;
        private double seconds;
        private int unknownLength;

        Progress(int total, PrintWriter err) {
            this.total = total;
            this.err = err;
        }

        void add(ChunkPublisher.Published p) {
            files++;
            messages += p.messages();
            bytes += p.bytes();
            if (Double.isNaN(p.audioSeconds())) unknownLength++;
            else seconds += p.audioSeconds();
            int width = 24;
            int done = total == 0 ? width : files * width / total;
            String line =
                    String.format(
                                    "[%s%s] %d/%d files, %.1f MB, %.1f s of audio",
                                    "#".repeat(done),
                                    " ".repeat(width - done),
                                    files,
                                    total,
                                    bytes / 1e6,
                                    seconds)
                            + (unknownLength == 0
                                    ? ""
                                    : " (+ " + unknownLength + " of unknown length)");
            err.print(terminal ? "\r" + line : line + System.lineSeparator());
            err.flush();
        }

        void skip(String why) {
            err.println((terminal ? "\r" : "") + "skipped " + why);
        }

        void finish(PrintWriter out, String topic) {
            if (terminal) err.println();
            out.printf(
                    "published %d recording(s) as %d message(s), %.1f MB, %.1f s of audio, to %s%n",
                    files, messages, bytes / 1e6, seconds, topic);
            out.flush();
        }
    }
}
