package io.audioflow.job.cli;

import io.audioflow.job.profile.PipelineProfiler;
import io.audioflow.job.profile.Profile;
import io.audioflow.job.report.ProfilePage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.runtime.FileChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = {
            "Run the pipeline over local files in one thread, stage by stage, and report where the"
                    + " time and memory go: a table here, a self-contained HTML page in --output.",
            "Every plugin call is timed and charged to its stage: T_total = Σ T_stage + overhead."
        })
final class ProfileCommand implements Callable<Integer> {

    private final Environment env;

    @Spec CommandSpec spec;

    @Mixin PipelineOption pipeline;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "profile.html",
            description = "Where the HTML page goes. Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(
            names = "--results",
            description =
                    "Also write each file's result, one JSON object per line (as `analyze` prints).")
    Path results;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            description =
                    "Runs over the files before the measured one, so the JIT has compiled the hot"
                            + " loops. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Mixin RawAudioOptions raw;

    @Parameters(paramLabel = "AUDIO", arity = "1..*", description = "Audio files or folders.")
    List<Path> inputs;

    ProfileCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        raw.requireFormatOfRawFiles(RawAudioOptions.expand(inputs), spec.commandLine());
        Optional<ValidatedPipeline> loaded = pipeline.load(env, spec.commandLine().getErr());
        if (loaded.isEmpty()) return 1;
        List<String> files = RawAudioOptions.expand(inputs).stream().map(Path::toString).toList();
        FileChunks reader = raw.reader();
        for (int i = 0; i < warmup; i++) new PipelineProfiler(loaded.get(), reader).run(files);
        Profile profile = new PipelineProfiler(loaded.get(), reader).run(files);
        ProfilePage.printTable(profile, spec.commandLine().getOut());
        Files.writeString(output, ProfilePage.html(profile));
        if (results != null) Files.write(results, profile.results());
        spec.commandLine().getErr().println("wrote " + output);
        return 0;
    }
}
