package io.audioflow.job.cli;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Chooses the CLI's logging back end before anything logs: log4j's back end is fixed the first time
 * a logger is asked for, so this cannot wait for picocli to parse {@code --log-format}.
 */
final class CliLogging {

    /** Settings by which a user picks log4j's back end or configuration. */
    private static final List<String> USER_PROPERTIES =
            List.of(
                    "log4j2.loggerContextFactory",
                    "log4j.provider",
                    "log4j2.provider",
                    "log4j.configurationFile",
                    "log4j2.configurationFile");

    // log4j reads the same settings from the environment under these names.
    private static final List<String> USER_VARIABLES =
            List.of("LOG4J_LOGGER_CONTEXT_FACTORY", "LOG4J_PROVIDER", "LOG4J_CONFIGURATION_FILE");

    private CliLogging() {}

    /** The plain-text back end ({@link TextLogContextFactory}) unless log4j-core is needed. */
    static void selectBackEnd(String[] args, Map<String, String> env) {
        if (needsLog4jCore(args, env, System.getProperties())) return;
        System.setProperty("log4j2.loggerContextFactory", TextLogContextFactory.class.getName());
    }

    /** JSON logs need log4j-core's layouts; a user's own log4j settings must be honoured. */
    static boolean needsLog4jCore(
            String[] args, Map<String, String> env, Properties systemProperties) {
        for (String property : USER_PROPERTIES)
            if (systemProperties.getProperty(property) != null) return true;
        for (String variable : USER_VARIABLES) if (env.get(variable) != null) return true;
        return wantsJson(args, env);
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
