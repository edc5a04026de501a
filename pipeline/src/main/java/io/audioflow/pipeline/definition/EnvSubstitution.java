package io.audioflow.pipeline.definition;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} in YAML string values, replaced from the environment.
 * Substitution happens on parsed scalars, not on the file's text, so a variable's value can never
 * change the document's structure.
 */
public final class EnvSubstitution {

    private static final Pattern VAR =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;

    public EnvSubstitution(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The substituted text, or empty with {@code missing[0]} set to the first unset variable. */
    public Optional<String> apply(String text, String[] missing) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) value = m.group(2);
            if (value == null) {
                missing[0] = m.group(1);
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }

    public static boolean hasVariables(String text) {
        return text.contains("${");
    }
}
