package io.audioflow.job.cli;

import io.audioflow.job.files.FilesJob;
import io.audioflow.job.kafka.TopicCheck;
import io.audioflow.pipeline.runtime.FileChunks;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main class of job/target/audioflow-job.jar: {@code flink run job/target/audioflow-job.jar
 * --pipeline config/pipeline.yaml --bootstrap-servers HOST:PORT}. Flink's own flags ({@code -p},
 * {@code -s}, {@code -D}) come before the jar and apply as usual.
 */
@Command(
        name = "audioflow-job",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The audioflow streaming job, submitted with `flink run`.")
public final class FlinkJobMain implements Callable<Integer> {

    private final Environment env;

    @Spec CommandSpec spec;

    @Mixin StreamingOptions options;

    @Option(
            names = "--input",
            paramLabel = "PATH|URI",
            description =
                    "Analyse the audio files under this path (a file or folder, read recursively;"
                            + " any Flink file system: file:///…, s3://…) and end, instead of"
                            + " reading the input topic.")
    String input;

    @Option(
            names = "--output",
            paramLabel = "DIR|URI",
            description =
                    "With --input: results and dead letters as JSON lines under this folder"
                            + " (results/, dead-letters/) instead of on the topics.")
    String output;

    FlinkJobMain(Environment env) {
        this.env = env;
    }

    public static void main(String[] args) {
        // No System.exit: the Flink client runs this main in its own JVM and must live on.
        int code =
                AudioflowCli.configure(new CommandLine(new FlinkJobMain(Environment.system())))
                        .execute(args);
        if (code != 0)
            throw new IllegalArgumentException(
                    "audioflow-job: invalid arguments or pipeline (see above)");
    }

    @Override
    public Integer call() throws Exception {
        var resolved = options.resolve(env, spec.commandLine().getErr());
        if (resolved.isEmpty()) return 1;
        if (output != null && input == null) {
            spec.commandLine().getErr().println("error: --output goes with --input FILES");
            return 1;
        }
        if (input != null && output != null) return analyseFiles(resolved.get(), null);
        TopicCheck.Outcome topics = resolved.get().checkTopics(input == null);
        if (topics instanceof TopicCheck.Missing || topics instanceof TopicCheck.Refused) {
            spec.commandLine().getErr().println("error: " + ((TopicCheck.Failed) topics).line());
            return 1;
        }
        // The cluster may reach brokers that the submitting client cannot: say so, and submit.
        if (topics instanceof TopicCheck.Unreachable u)
            spec.commandLine().getErr().println("warning: " + u.line());
        StreamExecutionEnvironment flink =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        resolved.get().execution().toConfiguration());
        // Without --parallelism, the cluster's (or `flink run -p`'s) parallelism applies.
        var r =
                options.parallelism != null
                        ? resolved.get()
                        : resolved.get().withParallelism(flink.getParallelism());
        if (input != null) return analyseFiles(r, flink);
        r.job(options).build(flink);
        flink.execute("audioflow: " + r.pipeline().definition().name());
        return 0;
    }

    /**
     * The bounded job over {@code --input}: results to {@code --output} or to the topics (without
     * control updates, whose unbounded source would keep the job from ending).
     */
    private int analyseFiles(StreamingOptions.Resolved resolved, StreamExecutionEnvironment env)
            throws Exception {
        StreamExecutionEnvironment flink =
                env != null
                        ? env
                        : StreamExecutionEnvironment.getExecutionEnvironment(
                                resolved.execution().toConfiguration());
        var r =
                options.parallelism != null
                        ? resolved
                        : resolved.withParallelism(flink.getParallelism());
        FilesJob files =
                new FilesJob(
                        r.pipeline(),
                        input,
                        new FileChunks("pcm_s16le", 0, 0),
                        r.parallelism(),
                        r.pipeline().definition().limits().applyTo(options.limits()));
        if (output != null) files.toFiles(flink, output);
        else
            files.toTopics(
                    flink, r.withKafka(r.kafka().withControlTopics(null, null)).job(options));
        flink.execute("audioflow files: " + r.pipeline().definition().name());
        return 0;
    }
}
