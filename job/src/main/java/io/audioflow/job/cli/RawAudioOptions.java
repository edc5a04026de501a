package io.audioflow.job.cli;

import io.audioflow.pipeline.runtime.FileChunks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How to read headerless files, and how inputs expand: shared by the commands on local files. */
final class RawAudioOptions {

    @Option(
            names = "--raw-format",
            defaultValue = "pcm_s16le",
            description =
                    "Encoding of .raw/.pcm files: pcm_s16le, pcm_s24le or pcm_f32le. Default: ${DEFAULT-VALUE}.")
    String rawFormat = "pcm_s16le";

    @Option(
            names = "--sample-rate",
            defaultValue = "0",
            description = "Sample rate of .raw/.pcm files, in Hz.")
    int sampleRate;

    @Option(
            names = "--channels",
            defaultValue = "0",
            description = "Channel count of .raw/.pcm files.")
    int channels;

    /**
     * Raw PCM has no header, so nothing about it can be read without its rate and channels: a usage
     * error before anything runs, not a result per file that says the same thing late.
     */
    void requireFormatOfRawFiles(List<Path> files, CommandLine command) {
        List<Path> raw =
                files.stream()
                        .filter(
                                f ->
                                        FileChunks.formatOf(f.getFileName().toString(), rawFormat)
                                                .startsWith("pcm_"))
                        .toList();
        if (raw.isEmpty() || sampleRate > 0 && channels > 0) return;
        throw new CommandLine.ParameterException(
                command,
                "raw PCM input ("
                        + raw.get(0)
                        + (raw.size() > 1 ? " and " + (raw.size() - 1) + " more" : "")
                        + ") needs --sample-rate HZ and --channels N: a .raw/.pcm file has no"
                        + " header to read them from");
    }

    FileChunks reader() {
        return new FileChunks(rawFormat, sampleRate, channels);
    }

    /** Files as given, folders as the files directly in them, sorted. */
    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.isDirectory(input)) {
                files.add(input);
                continue;
            }
            try (Stream<Path> in = Files.list(input)) {
                in.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        return files;
    }
}
