package io.audioflow.job.cli;

import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "visualize",
        mixinStandardHelpOptions = true,
        description = "Draw the stage graph of a pipeline.")
final class VisualizeCommand implements Callable<Integer> {

    enum Format {
        mermaid,
        dot,
        svg
    }

    private final Environment env;

    @Spec CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "PIPELINE.yaml",
            arity = "0..1",
            description = PipelineOption.DESCRIPTION)
    Path file;

    @Option(
            names = "--format",
            defaultValue = "mermaid",
            description =
                    "mermaid, dot or svg (svg needs Graphviz `dot`). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(
            names = {"-o", "--output"},
            description = "Write to this file instead of standard output.")
    Path output;

    VisualizeCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PipelineLoader.Result result = PipelineOption.load(env, file, spec.commandLine().getErr());
        PipelineOption.printProblems(result, spec.commandLine().getErr());
        if (result.pipeline().isEmpty()) return 1;
        ValidatedPipeline p =
                PipelineOption.capped(env, result.pipeline().get(), spec.commandLine().getErr());
        int parallelism = env.maxWorkers().orElse(StreamingOptions.DEFAULT_PARALLELISM);
        byte[] bytes =
                switch (format) {
                    case mermaid ->
                            GraphRenderer.mermaid(p, parallelism).getBytes(StandardCharsets.UTF_8);
                    case dot -> GraphRenderer.dot(p, parallelism).getBytes(StandardCharsets.UTF_8);
                    case svg -> svg(GraphRenderer.dot(p, parallelism));
                };
        if (bytes == null) return 1;
        if (output != null) {
            Files.write(output, bytes);
        } else {
            spec.commandLine().getOut().print(new String(bytes, StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private byte[] svg(String dot) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("dot", "-Tsvg").start();
        } catch (IOException e) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "error: --format svg needs Graphviz `dot`, which is not installed; install it (Debian/Ubuntu: apt-get install graphviz, macOS: brew install graphviz) or use --format dot");
            return null;
        }
        process.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] svg = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "error: Graphviz `dot` failed: "
                                    + new String(
                                            process.getErrorStream().readAllBytes(),
                                            StandardCharsets.UTF_8));
            return null;
        }
        return svg;
    }
}
