package io.audioflow.job.cli;

import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problem;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.plugin.LoggingLifecycleListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Loading a pipeline the same way in every command, printing problems the same way; as a mixin, the
 * {@code --pipeline} flag of the commands that run one.
 */
final class PipelineOption {

    static final String DESCRIPTION =
            "Pipeline file (default: $PIPELINE_CONFIG_PATH, else config/pipeline.yaml, else the"
                    + " default pipeline bundled in the jar).";

    @Option(names = "--pipeline", description = PipelineOption.DESCRIPTION)
    Path file;

    /**
     * The validated pipeline within {@code MAX_WORKERS}, or empty after printing why it is not
     * valid.
     */
    Optional<ValidatedPipeline> load(Environment env, PrintWriter err) {
        PipelineLoader.Result loaded = load(env, file, err);
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

    /** What the bundled default pipeline is called in messages. */
    static final String BUNDLED = "bundled:config/pipeline.yaml";

    /**
     * The pipeline {@code --pipeline} (or {@code PIPELINE_CONFIG_PATH}) names; without either, and
     * without a config/pipeline.yaml in the working directory, the default pipeline bundled in the
     * jar, said on stderr: a jar run from any folder works out of the box.
     */
    static PipelineLoader.Result load(Environment env, Path explicit, PrintWriter err) {
        Path path = env.pipelinePath(explicit);
        PipelineLoader loader =
                PipelineLoader.withPluginPaths(env.variables(), new LoggingLifecycleListener());
        if (explicit != null || env.pipelineFromVariable() || Files.exists(path))
            return loader.load(path);
        err.println(
                "no --pipeline and no "
                        + path
                        + " here: using the default pipeline bundled in the jar ("
                        + BUNDLED
                        + ")");
        return loader.load(bundledDefault(), BUNDLED, new Problems());
    }

    private static byte[] bundledDefault() {
        try (InputStream in = PipelineOption.class.getResourceAsStream("pipeline.yaml")) {
            if (in == null)
                throw new IllegalStateException(
                        "the bundled pipeline.yaml is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void printProblems(PipelineLoader.Result result, PrintWriter err) {
        for (Problem p : result.problems().all()) err.println(p);
    }
}
