package io.audioflow.job.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the CLI says about arguments it cannot use. picocli's messages repeat the arguments as
 * given, and a mistyped option often carries a password: every value that may be a secret is masked
 * before a message is printed. A name that is not a command is an error of its own, whatever flags
 * follow it, so that scripts can tell that a command is missing.
 */
final class ArgumentErrors {

    static final String MASK = "***";
    private static final List<String> SECRET_WORDS =
            List.of("password", "secret", "jaas", "token", "kafka-property");

    private ArgumentErrors() {}

    /** {@code message} with every possibly secret value among {@code args} replaced by a mask. */
    static String masked(String message, String[] args, CommandSpec command) {
        String out = message;
        for (String secret : secrets(args, command))
            if (!secret.isEmpty()) out = out.replace(secret, MASK);
        return out;
    }

    /**
     * Values that may be secrets: those of options whose name says so, and those of options the
     * command does not know (a typo of a secret's option name is still a secret's value).
     */
    static Set<String> secrets(String[] args, CommandSpec command) {
        Set<String> secrets = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("--")) continue;
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            boolean known = command != null && command.findOption(name) != null;
            if (known && !sensitive(name)) continue;
            if (eq >= 0) secrets.add(arg.substring(eq + 1));
            else if (i + 1 < args.length && !args[i + 1].startsWith("-")) secrets.add(args[i + 1]);
        }
        return secrets;
    }

    static boolean sensitive(String optionName) {
        String n = optionName.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(n::contains);
    }

    /**
     * "unknown command `plan`; commands: …" when the first word that is not an option names no
     * command of {@code root}.
     */
    static Optional<String> unknownCommand(CommandLine root, List<String> unmatched) {
        return unmatched.stream()
                .filter(a -> !a.startsWith("-"))
                .findFirst()
                .filter(word -> !root.getSubcommands().containsKey(word))
                .map(
                        word ->
                                "unknown command `"
                                        + word
                                        + "`; commands: "
                                        + String.join(", ", root.getSubcommands().keySet()));
    }
}
