package io.audioflow.job.cli;

import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Check a pipeline file: exit 0 with a summary, or list every problem and exit 1.")
final class ValidateCommand implements Callable<Integer> {

    private final Environment env;

    @Spec CommandSpec spec;

    @Option(names = "--strict", description = "Treat warnings as errors.")
    boolean strict;

    @Parameters(
            index = "0",
            paramLabel = "PIPELINE.yaml",
            arity = "0..1",
            description = PipelineOption.DESCRIPTION)
    Path file;

    ValidateCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PipelineLoader.Result result = PipelineOption.load(env, file, spec.commandLine().getErr());
        String path =
                result.pipeline()
                        .map(p -> p.definition().file())
                        .orElse(String.valueOf(env.pipelinePath(file)));
        PipelineOption.printProblems(result, spec.commandLine().getErr());
        if (result.pipeline().isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println(
                            path
                                    + ": invalid ("
                                    + result.problems().errors().size()
                                    + " error(s), "
                                    + result.problems().warnings().size()
                                    + " warning(s))");
            return 1;
        }
        ValidatedPipeline p = result.pipeline().get();
        int warnings = p.warnings().size();
        if (strict && warnings > 0) {
            spec.commandLine()
                    .getErr()
                    .println(path + ": " + warnings + " warning(s) and --strict is set");
            return 1;
        }
        spec.commandLine()
                .getOut()
                .println(
                        path
                                + ": valid: pipeline `"
                                + p.definition().name()
                                + "` "
                                + p.definition().version()
                                + ", "
                                + p.stages().size()
                                + " stages, "
                                + warnings
                                + " warning(s), config sha256 "
                                + p.configSha256().substring(0, 12));
        return 0;
    }
}
