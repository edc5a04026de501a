package io.audioflow.job.cli;

import io.audioflow.job.kafka.TopicCheck;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
        TopicCheck.Outcome topics = resolved.get().checkTopics();
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
        r.job(options).build(flink);
        flink.execute("audioflow: " + r.pipeline().definition().name());
        return 0;
    }
}
