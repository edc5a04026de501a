package io.audioflow.job.cli;

import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar job/target/audioflow.jar <command>}: the front door for users and scripts. */
@Command(
        name = "audioflow",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Streaming audio quality analysis on Apache Flink.")
public final class AudioflowCli implements Runnable {

    /** In the order `--help` lists them. */
    static final List<Class<?>> SUBCOMMANDS =
            List.of(
                    ValidateCommand.class,
                    VisualizeCommand.class,
                    PluginsCommand.class,
                    AnalyzeCommand.class,
                    RunCommand.class,
                    DemoCommand.class,
                    PublishCommand.class,
                    TailCommand.class,
                    ControlCommand.class,
                    ReplayCommand.class,
                    ProfileCommand.class,
                    ReportCommand.class,
                    TestCommand.class,
                    PlanCommand.class,
                    AutoComplete.GenerateCompletion.class,
                    CommandLine.HelpCommand.class);

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--log-format",
            scope = CommandLine.ScopeType.INHERIT,
            defaultValue = "${env:AUDIOFLOW_LOG_FORMAT:-text}",
            description =
                    "text, or json (ECS, for log platforms; also $AUDIOFLOW_LOG_FORMAT). Logs go to"
                            + " stderr. Default: ${DEFAULT-VALUE}.")
    void logFormat(LogFormat format) {
        format.apply();
    }

    public static void main(String[] args) {
        CliLogging.selectBackEnd(args, System.getenv());
        System.exit(run(args));
    }

    public static int run(String... args) {
        return newCommandLine(Environment.system(), args).execute(args);
    }

    static CommandLine newCommandLine() {
        return newCommandLine(Environment.system());
    }

    /** The whole command tree, as `--help` shows it. */
    static CommandLine newCommandLine(Environment environment) {
        return newCommandLine(environment, SUBCOMMANDS);
    }

    /**
     * The tree for one invocation: only the subcommand it names, when it names one. picocli
     * reflects over every registered command as it builds the tree; the eleven others cost each run
     * about 0.1 CPU-seconds. Help, unknown or missing subcommands get the whole tree, so usage and
     * "did you mean" suggestions are unchanged.
     */
    static CommandLine newCommandLine(Environment environment, String[] args) {
        for (String arg : args) {
            for (Class<?> command : SUBCOMMANDS) {
                if (arg.equals(nameOf(command)))
                    // help and the completion script describe every command
                    return command == CommandLine.HelpCommand.class
                                    || command == AutoComplete.GenerateCompletion.class
                            ? newCommandLine(environment)
                            : newCommandLine(environment, List.of(command));
            }
        }
        return newCommandLine(environment);
    }

    private static CommandLine newCommandLine(Environment environment, List<Class<?>> subcommands) {
        CommandFactory factory = new CommandFactory(environment);
        CommandLine cli = new CommandLine(new AudioflowCli(), factory);
        for (Class<?> command : subcommands) cli.addSubcommand(new CommandLine(command, factory));
        return configure(cli);
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    static CommandLine configure(CommandLine cli) {
        // One line and the usage for bad arguments, never a stack trace.
        cli.setParameterExceptionHandler(
                (ex, args) -> {
                    CommandLine cmd = ex.getCommandLine();
                    if (ex instanceof CommandLine.UnmatchedArgumentException u
                            && cmd.getParent() == null
                            && !cmd.getSubcommands().isEmpty()) {
                        var unknown = ArgumentErrors.unknownCommand(cmd, u.getUnmatched());
                        if (unknown.isPresent()) {
                            cmd.getErr().println("error: " + unknown.get());
                            return 2;
                        }
                    }
                    cmd.getErr()
                            .println(
                                    "error: "
                                            + ArgumentErrors.masked(
                                                    ex.getMessage(), args, cmd.getCommandSpec()));
                    cmd.usage(cmd.getErr());
                    return 2;
                });
        // `audioflow plan --help` parses (help was asked for) with `plan` unmatched: still an
        // unknown command, not the root's usage with exit 0.
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cli.setExecutionStrategy(
                parsed -> {
                    if (!parsed.hasSubcommand() && !parsed.commandSpec().subcommands().isEmpty()) {
                        var unknown =
                                ArgumentErrors.unknownCommand(
                                        parsed.commandSpec().commandLine(), parsed.unmatched());
                        if (unknown.isPresent()) {
                            parsed.commandSpec()
                                    .commandLine()
                                    .getErr()
                                    .println("error: " + unknown.get());
                            return 2;
                        }
                    }
                    return run.execute(parsed);
                });
        cli.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    FailureReport report = FailureReport.of(ex);
                    cmd.getErr().println(report);
                    // Log platforms see the whole trace; the terminal gets the report above.
                    // (No static logger here: main must choose the back end before the first.)
                    if (report.lines().size() > 1)
                        LoggerFactory.getLogger(AudioflowCli.class).error("command failed", ex);
                    return 1;
                });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
