package io.audioflow.job.cli;

import io.audioflow.job.kafka.TopicCheck;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the streaming job on a local embedded Flink against an existing Kafka, until interrupted.",
            "On a cluster, submit job/target/audioflow-job.jar with `flink run` and the same options."
        })
final class RunCommand implements Callable<Integer> {

    private final Environment env;

    @Spec CommandSpec spec;

    @Mixin StreamingOptions options;

    RunCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        var resolved = options.resolve(env, spec.commandLine().getErr());
        if (resolved.isEmpty()) return 1;
        var r = resolved.get();
        // A missing input topic or an unreachable broker would fail the job inside Flink at each
        // restart until the restarts ran out; one line now says what to do.
        TopicCheck.Outcome topics = r.checkTopics();
        if (topics instanceof TopicCheck.Failed failed) {
            spec.commandLine().getErr().println("error: " + failed.line());
            return 1;
        }
        Configuration conf = r.execution().toConfiguration();
        StreamExecutionEnvironment flink =
                StreamExecutionEnvironment.createLocalEnvironment(r.parallelism(), conf);
        r.job(options).build(flink);
        JobClient client = flink.executeAsync("audioflow: " + r.pipeline().definition().name());
        var out = spec.commandLine().getOut();
        out.printf(
                "audioflow job %s running: %s -> %s, dead letters -> %s (Ctrl-C stops it)%n",
                client.getJobID(),
                r.kafka().inputTopic(),
                r.kafka().resultsTopic(),
                r.kafka().dlqTopic());
        out.flush();
        Thread stop =
                new Thread(
                        () -> {
                            try {
                                // The last checkpoint is retained on cancel: resume with -s.
                                client.cancel().get(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                // The JVM is going down either way.
                            }
                        },
                        "audioflow-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        client.getJobExecutionResult().get();
        return 0;
    }
}
