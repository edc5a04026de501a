package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.local.LocalAnalysis;
import io.audioflow.job.suite.CaseOutcome;
import io.audioflow.job.suite.PipelineSuite;
import io.audioflow.job.suite.SuiteParser;
import io.audioflow.job.suite.SuiteReport;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problem;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.runtime.FileChunks;
import io.audioflow.pipeline.runtime.RecordingResultJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description =
                "Run a pipeline test suite: labelled audio with expected verdicts, reasons, errors"
                        + " and metric ranges, analysed as `analyze` does. Prints a table, writes"
                        + " JUnit XML with --junit, exits 1 when a case fails.")
final class TestCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Environment env;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SUITE.yaml", description = "The suite file.")
    Path suiteFile;

    @Option(
            names = "--pipeline",
            paramLabel = "FILE",
            description =
                    "The pipeline under test, instead of the one the suite names (`pipeline:`)"
                            + " or the default.")
    Path pipeline;

    @Option(
            names = "--junit",
            paramLabel = "FILE",
            description = "Also write the outcome as JUnit XML, for a CI server.")
    Path junit;

    @Option(
            names = "--jobs",
            description = "Files analysed at once (default: the cores, capped by $MAX_WORKERS).")
    Integer jobs;

    TestCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Problems problems = new Problems();
        Optional<PipelineSuite> parsed =
                new SuiteParser(env.variables()).parse(suiteFile, problems);
        for (Problem p : problems.all()) err.println(p);
        if (parsed.isEmpty()) return 1;
        PipelineSuite suite = parsed.get();

        PipelineLoader.Result loaded =
                PipelineOption.load(env, pipeline != null ? pipeline : suite.pipeline(), err);
        PipelineOption.printProblems(loaded, err);
        if (loaded.pipeline().isEmpty()) return 1;
        ValidatedPipeline p = loaded.pipeline().get();

        long started = System.nanoTime();
        List<Path> files =
                suite.cases().stream().map(PipelineSuite.Case::audio).distinct().toList();
        int workers = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        workers = Math.max(1, Math.min(workers, env.maxWorkers().orElse(workers)));
        Map<String, JsonNode> results = new HashMap<>();
        // Headerless audio (.raw) gets no sample rate here, so its case reports the decoder's
        // error: a suite labels files that say what they are.
        FileChunks reader = new FileChunks("pcm_s16le", 0, 0);
        for (String json : new LocalAnalysis(p, reader, workers).run(files)) {
            JsonNode node = JSON.readTree(json);
            results.put(node.path("recording_id").asText(), node);
        }
        List<CaseOutcome> outcomes = new ArrayList<>();
        for (PipelineSuite.Case c : suite.cases()) {
            String id = c.audio().getFileName().toString();
            JsonNode result =
                    results.getOrDefault(
                            id,
                            JSON.readTree(
                                    RecordingResultJson.refused(
                                            id,
                                            "internal_error",
                                            "pipeline",
                                            "no result was produced")));
            outcomes.add(CaseOutcome.of(c, result));
        }
        var identity = p.identity();
        SuiteReport report =
                new SuiteReport(
                        suite,
                        identity.name() + " " + identity.version(),
                        outcomes,
                        (System.nanoTime() - started) / 1e9);
        report.printTable(out);
        if (junit != null) {
            report.writeJUnit(junit);
            err.println("JUnit XML written to " + junit);
        }
        return report.failed() > 0 ? 1 : 0;
    }
}
