package io.audioflow.job.cli;

import java.util.List;
import java.util.Map;

/**
 * Chooses the CLI's logging back end before anything logs: log4j's back end is fixed the first time
 * a logger is asked for, so this cannot wait for picocli to parse {@code --log-format}.
 */
final class CliLogging {

    /** System properties by which a user picks log4j's back end or configuration. */
    private static final List<String> USER_CHOICES =
            List.of(
                    "log4j2.loggerContextFactory",
                    "log4j.provider",
                    "log4j2.provider",
                    "log4j.configurationFile",
                    "log4j2.configurationFile");

    private CliLogging() {}

    /**
     * The plain-text back end ({@link TextLogContextFactory}) unless JSON logs are asked for or the
     * user configured log4j: both need log4j-core.
     */
    static void selectBackEnd(String[] args, Map<String, String> env) {
        for (String property : USER_CHOICES) if (System.getProperty(property) != null) return;
        if (wantsJson(args, env)) return;
        System.setProperty("log4j2.loggerContextFactory", TextLogContextFactory.class.getName());
    }

    // --log-format is inherited by every subcommand, so it may stand anywhere; the last one wins.
    static boolean wantsJson(String[] args, Map<String, String> env) {
        String option = "--log-format";
        String format = env.getOrDefault("AUDIOFLOW_LOG_FORMAT", "text");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option) && i + 1 < args.length) format = args[i + 1];
            else if (args[i].startsWith(option + "="))
                format = args[i].substring(option.length() + 1);
        }
        return format.equals(LogFormat.json.name());
    }
}
