package io.audioflow.job.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process with a chosen environment, capturing what it prints. */
public record CliRunner(Map<String, String> env) {

    public record Run(int exitCode, String out, String err) {}

    public static CliRunner withEnv(Map<String, String> env) {
        return new CliRunner(env);
    }

    public Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AudioflowCli.newCommandLine(new Environment(env), args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** `run` with the default pipeline against {@code bootstrapServers}, then {@code more}. */
    public Run runDefaultPipeline(String bootstrapServers, String... more) {
        String[] args = new String[5 + more.length];
        args[0] = "run";
        args[1] = "--pipeline";
        args[2] = "../config/pipeline.yaml";
        args[3] = "--bootstrap-servers";
        args[4] = bootstrapServers;
        System.arraycopy(more, 0, args, 5, more.length);
        return run(args);
    }
}
