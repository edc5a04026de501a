package io.audioflow.job.cli;

import io.audioflow.job.pipeline.PipelineLoader;
import io.audioflow.job.pipeline.Problem;
import io.audioflow.operators.plugin.LoggingLifecycleListener;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loading a pipeline the same way in every command, printing problems the same way. */
final class PipelineOption {

    private PipelineOption() {}

    static PipelineLoader.Result load(Environment env, Path file) {
        return PipelineLoader.withPluginPaths(env.variables(), new LoggingLifecycleListener())
                .load(file);
    }

    static void printProblems(PipelineLoader.Result result, PrintWriter err) {
        for (Problem p : result.problems().all()) err.println(p);
    }
}
