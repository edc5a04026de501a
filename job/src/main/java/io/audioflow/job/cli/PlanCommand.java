package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.job.kafka.KafkaSettings;
import io.audioflow.job.plan.PipelinePlan;
import io.audioflow.job.plan.Planner;
import io.audioflow.job.plan.SavepointOperators;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.PipelineParser;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description =
                "Say what redeploying NEW from a savepoint of OLD does: operators kept, added and"
                        + " dropped by uid, state that would be dropped or cannot be restored,"
                        + " processor version changes, and changes to the result contract. Exit 0"
                        + " safe, 1 safe only with --allow-non-restored-state, 2 incompatible"
                        + " (also when a pipeline is invalid).")
final class PlanCommand implements Callable<Integer> {

    enum Format {
        text,
        json
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CANNOT_PLAN = PipelinePlan.Outcome.INCOMPATIBLE.exitCode;

    private final Environment env;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD.yaml", description = "The pipeline running now.")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW.yaml", description = "The pipeline to deploy.")
    Path newFile;

    @Option(
            names = "--savepoint",
            paramLabel = "PATH",
            description =
                    "A savepoint or retained checkpoint of the running job (its directory or"
                            + " _metadata): compare the state it actually holds, not OLD's operators.")
    Path savepoint;

    @Option(
            names = "--monitor-topic",
            paramLabel = "TOPIC",
            description = "The jobs run with --monitor-topic (it adds a sink with state).")
    String monitorTopic;

    @Option(
            names = "--control-topic",
            paramLabel = "TOPIC|none",
            description = "The jobs run with --control-topic (none removes the control operators).")
    String controlTopic;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "text or json (for CI). Default: ${DEFAULT-VALUE}.")
    Format format;

    PlanCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ValidatedPipeline> before = load(oldFile, err);
        Optional<ValidatedPipeline> after = load(newFile, err);
        if (before.isEmpty() || after.isEmpty()) return CANNOT_PLAN;
        Planner planner = new Planner(before.get(), after.get(), this::asStarted);
        PipelinePlan plan =
                savepoint == null
                        ? planner.plan()
                        : planner.plan(savepoint.toString(), SavepointOperators.read(savepoint));
        if (format == Format.json) {
            ObjectNode json = JSON.valueToTree(plan);
            json.put("outcome", plan.outcome().name().toLowerCase(java.util.Locale.ROOT));
            json.put("exit_code", plan.outcome().exitCode);
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            print(plan, out);
        }
        out.flush();
        return plan.outcome().exitCode;
    }

    private KafkaSettings asStarted(KafkaSettings topics) {
        KafkaSettings k = topics;
        if (monitorTopic != null) k = k.withMonitorTopic(monitorTopic);
        if (controlTopic != null)
            k =
                    k.withControlTopics(
                            PipelineParser.offWhenNone(controlTopic), k.controlResultsTopic());
        return k;
    }

    private Optional<ValidatedPipeline> load(Path file, PrintWriter err) {
        PipelineLoader.Result loaded = PipelineOption.load(env, file, err);
        PipelineOption.printProblems(loaded, err);
        return loaded.pipeline();
    }

    private static void print(PipelinePlan plan, PrintWriter out) {
        out.printf(
                "plan: %s -> %s%s%n",
                plan.from(),
                plan.to(),
                plan.savepoint() == null
                        ? " (against OLD's operators; --savepoint compares what a savepoint holds)"
                        : " (against savepoint " + plan.savepoint() + ")");
        section(out, "operators kept (state restored)", plan.kept());
        section(out, "operators added (start empty)", plan.added());
        section(out, "operators dropped", plan.dropped());
        section(out, "state that would be dropped", plan.stateDropped());
        section(out, "state that cannot be restored", plan.incompatible());
        section(out, "processor versions", plan.versions());
        var c = plan.contract();
        section(out, "result contract: metrics added", c.metricsAdded());
        section(out, "result contract: metrics removed", c.metricsRemoved());
        section(out, "result contract: decision rules", c.rules());
        section(out, "result contract: topics", c.topics());
        out.printf("%n%s (exit %d)%n", plan.outcome().summary, plan.outcome().exitCode);
    }

    private static void section(PrintWriter out, String title, List<String> lines) {
        if (lines.isEmpty()) return;
        out.printf("%n%s:%n", title);
        lines.forEach(l -> out.println("  " + l));
    }
}
