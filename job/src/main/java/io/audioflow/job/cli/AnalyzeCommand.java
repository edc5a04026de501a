package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.api.ErrorCode;
import io.audioflow.job.local.LocalAnalysis;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.runtime.FileChunks;
import io.audioflow.pipeline.runtime.RecordingResultJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description =
                "Run the pipeline over local audio files, in this JVM, and print one result per file.")
final class AnalyzeCommand implements Callable<Integer> {

    enum Format {
        jsonl,
        table
    }

    private final Environment env;

    @Spec CommandSpec spec;

    @Mixin PipelineOption pipeline;

    @Option(
            names = "--format",
            defaultValue = "jsonl",
            description = "jsonl (one JSON object per line) or table. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(
            names = "--jobs",
            description =
                    "Files analysed at once, each in its own thread (default: the cores, capped by"
                            + " $MAX_WORKERS and by the number of files).")
    Integer jobs;

    /** The flag's name from when analyze ran on an embedded Flink; scripts still pass it. */
    @Option(names = "--parallelism", hidden = true, description = "Same as --jobs.")
    Integer parallelism;

    @Mixin RawAudioOptions raw;

    @Parameters(
            paramLabel = "FILE",
            arity = "1..*",
            description = "Audio files, or folders to analyse every file in.")
    List<Path> inputs;

    AnalyzeCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        raw.requireFormatOfRawFiles(RawAudioOptions.expand(inputs), spec.commandLine());
        Optional<ValidatedPipeline> loaded = pipeline.load(env, spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        ValidatedPipeline p = loaded.get();

        List<Path> files = new ArrayList<>();
        Map<String, String> results = new LinkedHashMap<>(); // recording id -> JSON, in input order
        for (Path f : RawAudioOptions.expand(inputs)) {
            String id = FileChunks.recordingIdOf(f);
            if (results.containsKey(id)) {
                results.put(
                        id,
                        error(
                                id,
                                ErrorCode.INVALID_PIPELINE.code(),
                                "input",
                                "two inputs share the recording id `" + id + "`; rename one"));
            } else if (!Files.isReadable(f) || Files.isDirectory(f)) {
                results.put(id, error(id, ErrorCode.IO_ERROR.code(), "input", "cannot read " + f));
            } else {
                results.put(id, null);
                files.add(f);
            }
        }
        int workers =
                jobs != null
                        ? jobs
                        : parallelism != null
                                ? parallelism
                                : Runtime.getRuntime().availableProcessors();
        workers = Math.max(1, Math.min(workers, env.maxWorkers().orElse(workers)));
        if (!files.isEmpty()) {
            List<String> analysed = new LocalAnalysis(p, raw.reader(), workers).run(files);
            for (int i = 0; i < files.size(); i++)
                results.put(FileChunks.recordingIdOf(files.get(i)), analysed.get(i));
        }
        results.replaceAll(
                (id, json) ->
                        json != null
                                ? json
                                : error(
                                        id,
                                        ErrorCode.INTERNAL_ERROR.code(),
                                        "pipeline",
                                        "no result was produced"));
        print(results, spec.commandLine().getOut());
        // A result names its failure in an `error` object; an analysed file has none.
        long failed = results.values().stream().filter(RecordingResultJson::failed).count();
        if (failed > 0)
            spec.commandLine()
                    .getErr()
                    .println(failed + " of " + results.size() + " file(s) could not be analysed");
        return failed > 0 ? 1 : 0;
    }

    private static String error(String id, String code, String stage, String message) {
        return RecordingResultJson.refused(id, code, stage, message);
    }

    private void print(Map<String, String> results, PrintWriter out) throws IOException {
        if (format == Format.jsonl) {
            results.values().forEach(out::println);
        } else {
            // Only tables need a databind tree: jsonl spares each run an ObjectMapper's set-up.
            ObjectMapper json = new ObjectMapper();
            ResultTable.print(results.values().stream().map(r -> tree(json, r)).toList(), out);
        }
        out.flush();
    }

    private static JsonNode tree(ObjectMapper mapper, String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
