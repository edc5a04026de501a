package io.audioflow.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar job/target/audioflow.jar <command>}: the front door for users and scripts. */
@Command(
        name = "audioflow",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Streaming audio quality analysis on Apache Flink.",
        subcommands = {
            ValidateCommand.class,
            VisualizeCommand.class,
            PluginsCommand.class,
            AnalyzeCommand.class,
            RunCommand.class,
            DemoCommand.class,
            PublishCommand.class,
            TailCommand.class,
            ControlCommand.class,
            ProfileCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class AudioflowCli implements Runnable {

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
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        return newCommandLine(Environment.system());
    }

    static CommandLine newCommandLine(Environment environment) {
        return configure(new CommandLine(new AudioflowCli(), new CommandFactory(environment)));
    }

    static CommandLine configure(CommandLine cli) {
        // One line and the usage for bad arguments, never a stack trace.
        cli.setParameterExceptionHandler(
                (ex, args) -> {
                    CommandLine cmd = ex.getCommandLine();
                    cmd.getErr().println("error: " + ex.getMessage());
                    cmd.usage(cmd.getErr());
                    return 2;
                });
        cli.setExecutionExceptionHandler(
                (ex, cmd, parsed) -> {
                    cmd.getErr()
                            .println(
                                    "error: "
                                            + (ex.getMessage() == null
                                                    ? ex.toString()
                                                    : ex.getMessage()));
                    return 1;
                });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
