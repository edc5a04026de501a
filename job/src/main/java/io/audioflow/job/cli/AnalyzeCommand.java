package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.api.ErrorCode;
import io.audioflow.job.compile.LocalFileJob;
import io.audioflow.job.pipeline.ValidatedPipeline;
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
                "Run the pipeline over local audio files on an embedded Flink and print one result per file.")
final class AnalyzeCommand implements Callable<Integer> {

    static final int DEFAULT_PARALLELISM = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

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
            names = "--parallelism",
            description =
                    "Flink parallelism (default 2, capped by $MAX_WORKERS and by the number of files).")
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

        List<String> files = new ArrayList<>();
        Map<String, String> results = new LinkedHashMap<>(); // recording id -> JSON, in input order
        for (Path f : RawAudioOptions.expand(inputs)) {
            String id = f.getFileName().toString();
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
                files.add(f.toString());
            }
        }
        int workers = parallelism != null ? parallelism : DEFAULT_PARALLELISM;
        workers = Math.min(workers, env.maxWorkers().orElse(workers));
        // A recording is analysed by one worker: more workers than files only add start-up.
        workers = Math.max(1, Math.min(workers, files.size()));
        if (!files.isEmpty()) {
            for (String json : new LocalFileJob(p, workers).run(files, raw.rawInput())) {
                results.put(JSON.readTree(json).path("recording_id").asText(), json);
            }
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
        long failed =
                results.values().stream().filter(j -> tree(j).path("error").isObject()).count();
        if (failed > 0)
            spec.commandLine()
                    .getErr()
                    .println(failed + " of " + results.size() + " file(s) could not be analysed");
        return failed > 0 ? 1 : 0;
    }

    private static String error(String id, String code, String stage, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("recording_id", id);
        ObjectNode e = root.putObject("error");
        e.put("code", code);
        e.put("stage", stage);
        e.put("message", message);
        return root.toString();
    }

    private void print(Map<String, String> results, PrintWriter out) throws IOException {
        if (format == Format.jsonl) {
            results.values().forEach(out::println);
        } else {
            ResultTable.print(results.values().stream().map(this::tree).toList(), out);
        }
        out.flush();
    }

    private JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
