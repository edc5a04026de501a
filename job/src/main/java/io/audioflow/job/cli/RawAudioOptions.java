package io.audioflow.job.cli;

import io.audioflow.job.compile.LocalFileJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

    LocalFileJob.RawInput rawInput() {
        return new LocalFileJob.RawInput(rawFormat, sampleRate, channels);
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
