package io.audioflow.job.cli;

import io.audioflow.job.control.ControlAck;
import io.audioflow.job.control.ControlClient;
import io.audioflow.job.control.ControlUpdate;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
        name = "control",
        mixinStandardHelpOptions = true,
        description =
                "Change the running job's pipeline through the control topic: set config values,"
                        + " swap a stage's processor, run a shadow beside a stage (or stop it), or"
                        + " reset to the submitted pipeline. Each update is"
                        + " validated by the job; this prints its answer (exit 1 when rejected).",
        subcommands = {
            ControlCommand.Set.class,
            ControlCommand.Swap.class,
            ControlCommand.Shadow.class,
            ControlCommand.Unshadow.class,
            ControlCommand.Reset.class
        })
final class ControlCommand {

    @Mixin KafkaClientOptions kafkaClient;

    @Option(
            names = "--bootstrap-servers",
            required = true,
            scope = CommandLine.ScopeType.INHERIT,
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(
            names = "--topic",
            defaultValue = "audio.control",
            scope = CommandLine.ScopeType.INHERIT,
            description = "The job's control topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--results-topic",
            defaultValue = "audio.control.results",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Where the job answers. Default: ${DEFAULT-VALUE}.")
    String resultsTopic;

    @Option(
            names = "--pipeline",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Only the job running the pipeline of this name applies the update (when several"
                            + " share the topic).")
    String pipeline;

    @Option(
            names = "--timeout-s",
            defaultValue = "60",
            scope = CommandLine.ScopeType.INHERIT,
            description = "How long to wait for the job's answer. Default: ${DEFAULT-VALUE}.")
    long timeoutS = 60;

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description =
                    "Set config values of a stage, e.g. `set decision rules.noisy.below=15`. A path"
                            + " goes through maps by key and lists by index or by an entry's name;"
                            + " values are YAML (15, -1.5, true, text, [a, b]).")
    static final class Set implements Callable<Integer> {
        @ParentCommand ControlCommand control;
        @Spec CommandSpec spec;

        @Parameters(index = "0", description = "The stage.")
        String stage;

        @Parameters(index = "1..*", arity = "1..*", description = "KEY=VALUE…")
        List<String> values = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Map<String, Object> parsed = assignments(values, spec);
            return control.send(
                    new ControlUpdate(
                            id(),
                            control.pipeline,
                            ControlUpdate.Action.SET,
                            stage,
                            null,
                            parsed,
                            false),
                    spec);
        }
    }

    @Command(
            name = "swap",
            mixinStandardHelpOptions = true,
            description =
                    "Run a stage with another installed processor or version, e.g. `swap pitch"
                            + " pitch@^1.0`; KEY=VALUE sets its config too.")
    static final class Swap implements Callable<Integer> {
        @ParentCommand ControlCommand control;
        @Spec CommandSpec spec;

        @Parameters(index = "0", description = "The stage.")
        String stage;

        @Parameters(index = "1", description = "PROCESSOR or PROCESSOR@VERSION-CONSTRAINT.")
        String processor;

        @Parameters(index = "2..*", arity = "0..*", description = "KEY=VALUE…")
        List<String> values = new ArrayList<>();

        @Option(
                names = "--clear-config",
                description =
                        "Drop the stage's current config (the new processor's defaults apply).")
        boolean clearConfig;

        @Override
        public Integer call() throws Exception {
            return control.send(
                    new ControlUpdate(
                            id(),
                            control.pipeline,
                            ControlUpdate.Action.SWAP,
                            stage,
                            processor,
                            assignments(values, spec),
                            clearConfig),
                    spec);
        }
    }

    @Command(
            name = "shadow",
            mixinStandardHelpOptions = true,
            description =
                    "Run another processor or version beside an analyzer or the decision, for"
                            + " comparison: its metrics and verdict go to the results' `shadow`"
                            + " object, the live results stay as they are. KEY=VALUE changes the"
                            + " stage's config for the shadow, e.g. `shadow decision rules@^1.0"
                            + " rules.too_quiet.below=-55`.")
    static final class Shadow implements Callable<Integer> {
        @ParentCommand ControlCommand control;
        @Spec CommandSpec spec;

        @Parameters(index = "0", description = "The stage.")
        String stage;

        @Parameters(index = "1", description = "PROCESSOR or PROCESSOR@VERSION-CONSTRAINT.")
        String processor;

        @Parameters(index = "2..*", arity = "0..*", description = "KEY=VALUE…")
        List<String> values = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return control.send(
                    new ControlUpdate(
                            id(),
                            control.pipeline,
                            ControlUpdate.Action.SHADOW,
                            stage,
                            processor,
                            assignments(values, spec),
                            false),
                    spec);
        }
    }

    @Command(
            name = "unshadow",
            mixinStandardHelpOptions = true,
            description = "Stop a stage's shadow.")
    static final class Unshadow implements Callable<Integer> {
        @ParentCommand ControlCommand control;
        @Spec CommandSpec spec;

        @Parameters(index = "0", description = "The stage.")
        String stage;

        @Override
        public Integer call() throws Exception {
            return control.send(
                    new ControlUpdate(
                            id(),
                            control.pipeline,
                            ControlUpdate.Action.UNSHADOW,
                            stage,
                            null,
                            Map.of(),
                            false),
                    spec);
        }
    }

    @Command(
            name = "reset",
            mixinStandardHelpOptions = true,
            description = "Undo every update: back to the pipeline the job was submitted with.")
    static final class Reset implements Callable<Integer> {
        @ParentCommand ControlCommand control;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return control.send(
                    new ControlUpdate(
                            id(),
                            control.pipeline,
                            ControlUpdate.Action.RESET,
                            null,
                            null,
                            Map.of(),
                            false),
                    spec);
        }
    }

    private int send(ControlUpdate update, CommandSpec spec) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ControlAck ack;
        Duration timeout = Duration.ofSeconds(timeoutS);
        try (ControlClient client =
                new ControlClient(
                        kafkaClient.connection(bootstrapServers), topic, resultsTopic, timeout)) {
            ack = client.send(update, timeout);
        } catch (java.util.concurrent.TimeoutException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (ack.status() == ControlAck.Status.ACCEPTED) {
            out.printf(
                    "accepted: %s%n  config_version %d (config sha256 %s) for recordings that start"
                            + " from now; recordings in flight finish under the version they started"
                            + " with%n",
                    ack.update(), ack.configVersion(), ack.configSha256());
            for (String w : ack.problems())
                out.println("  warning: " + w.replace("\n", "\n    fix: "));
            return 0;
        }
        out.printf(
                "rejected: %s%n  the running pipeline is unchanged (config_version %d)%n",
                ack.update(), ack.configVersion());
        for (String e : ack.problems()) out.println("  error: " + e.replace("\n", "\n    fix: "));
        return 1;
    }

    private static String id() {
        return "cli-" + UUID.randomUUID();
    }

    /** KEY=VALUE arguments, each value read as YAML so numbers stay numbers. */
    static Map<String, Object> assignments(List<String> args, CommandSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0)
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "`" + a + "` is not KEY=VALUE (e.g. rules.noisy.below=15)");
            String raw = a.substring(eq + 1);
            Object value;
            try {
                value = raw.isEmpty() ? "" : new org.yaml.snakeyaml.Yaml().load(raw);
            } catch (RuntimeException notYaml) {
                value = raw;
            }
            values.put(a.substring(0, eq), value);
        }
        return values;
    }
}
