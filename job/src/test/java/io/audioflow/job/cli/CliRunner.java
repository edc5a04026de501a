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
}
