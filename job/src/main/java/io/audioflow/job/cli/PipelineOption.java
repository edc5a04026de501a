package io.audioflow.job.cli;

import io.audioflow.job.pipeline.PipelineLoader;
import io.audioflow.job.pipeline.Problem;
import io.audioflow.job.pipeline.ValidatedPipeline;
import io.audioflow.operators.plugin.LoggingLifecycleListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Loading a pipeline the same way in every command, printing problems the same way; as a mixin, the
 * {@code --pipeline} flag of the commands that run one.
 */
final class PipelineOption {

    @Option(
            names = "--pipeline",
            description = "Pipeline file (default: $PIPELINE_CONFIG_PATH or config/pipeline.yaml).")
    Path file;

    /**
     * The validated pipeline within {@code MAX_WORKERS}, or empty after printing why it is not
     * valid.
     */
    Optional<ValidatedPipeline> load(Environment env, PrintWriter err) {
        PipelineLoader.Result loaded = load(env, env.pipelinePath(file));
        printProblems(loaded, err);
        return loaded.pipeline().map(p -> capped(env, p, err));
    }

    /**
     * {@code MAX_WORKERS} bounds every operator's parallelism, a stage's own included; each stage
     * lowered is said once.
     */
    static ValidatedPipeline capped(Environment env, ValidatedPipeline p, PrintWriter err) {
        Optional<Integer> max = env.maxWorkers();
        if (max.isEmpty()) return p;
        for (var stage : p.stagesOverCap(max.get()))
            err.println(
                    "warning: stage `"
                            + stage.name()
                            + "` asks for parallelism "
                            + stage.definition().parallelism()
                            + "; MAX_WORKERS="
                            + max.get()
                            + " lowers it to "
                            + max.get());
        return p.withParallelismCap(max.get());
    }

    static PipelineLoader.Result load(Environment env, Path file) {
        return PipelineLoader.withPluginPaths(env.variables(), new LoggingLifecycleListener())
                .load(file);
    }

    static void printProblems(PipelineLoader.Result result, PrintWriter err) {
        for (Problem p : result.problems().all()) err.println(p);
    }
}
