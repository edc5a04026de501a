package io.audioflow.pipeline.definition;

import io.audioflow.api.ConfigOption;
import io.audioflow.api.ConfigProblem;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StagePlugin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a stage's {@code config:} against the options its plugin declares (unknown keys, types,
 * ranges, choices), then asks the plugin for its own checks. Returns the config with defaults.
 */
final class ConfigChecker {

    private ConfigChecker() {}

    static Map<String, Object> check(StageDefinition stage, StagePlugin plugin, Problems problems) {
        List<ConfigOption> options = plugin.info().options();
        Map<String, ConfigOption> byName = new LinkedHashMap<>();
        options.forEach(o -> byName.put(o.name(), o));
        String where = "stage `" + stage.name() + "` (" + plugin.info().coordinates() + ")";
        boolean ok = true;
        for (Map.Entry<String, Object> e : stage.config().entrySet()) {
            ConfigOption option = byName.get(e.getKey());
            SourcePosition at = stage.configPosition(e.getKey());
            if (option == null) {
                problems.error(
                        at,
                        "unknown config key `" + e.getKey() + "` for " + where,
                        options.isEmpty()
                                ? "this processor takes no config; remove the key"
                                : Suggestions.allowedKeys(e.getKey(), byName.keySet()));
                ok = false;
            } else if (e.getValue() != null) {
                ok &= checkValue(option, e.getValue(), at, where, problems);
            }
        }
        for (ConfigOption option : options) {
            if (option.required() && !stage.config().containsKey(option.name())) {
                problems.error(
                        stage.configAt() != null ? stage.configAt() : stage.at(),
                        "config key `" + option.name() + "` is required for " + where,
                        fixFor(option));
                ok = false;
            }
        }
        Map<String, Object> withDefaults =
                new LinkedHashMap<>(StageConfig.withDefaults(stage.config(), options).asMap());
        if (ok) {
            List<ConfigProblem> found;
            try {
                found = plugin.validate(StageConfig.of(withDefaults));
            } catch (RuntimeException e) {
                problems.error(
                        stage.configAt() != null ? stage.configAt() : stage.at(),
                        "plugin `"
                                + plugin.info().coordinates()
                                + "` of stage `"
                                + stage.name()
                                + "` failed checking its config: "
                                + e,
                        "check the stage's config values against `audioflow plugins --verbose`;"
                                + " the plugin should report this as a config problem");
                return withDefaults;
            }
            for (ConfigProblem p : found) {
                problems.error(
                        stage.configPosition(p.key()),
                        p.message() + " (" + where + ", config `" + p.key() + "`)",
                        p.fix());
            }
        }
        return withDefaults;
    }

    private static boolean checkValue(
            ConfigOption option, Object value, SourcePosition at, String where, Problems problems) {
        String key = "`" + option.name() + "` of " + where;
        switch (option.type()) {
            case NUMBER, INTEGER -> {
                if (!(value instanceof Number n)
                        || (option.type() == ConfigOption.Type.INTEGER
                                && !(value instanceof Long))) {
                    problems.error(
                            at,
                            key
                                    + " must be "
                                    + (option.type() == ConfigOption.Type.INTEGER
                                            ? "a whole number"
                                            : "a number")
                                    + ", got `"
                                    + value
                                    + "`",
                            fixFor(option));
                    return false;
                }
                double v = n.doubleValue();
                if ((option.min() != null && v < option.min())
                        || (option.max() != null && v > option.max())
                        || Double.isNaN(v)) {
                    problems.error(
                            at,
                            key + " is " + value + ", outside " + range(option),
                            fixFor(option));
                    return false;
                }
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    problems.error(
                            at,
                            key + " must be true or false, got `" + value + "`",
                            fixFor(option));
                    return false;
                }
            }
            case STRING -> {
                if (!option.allowed().isEmpty()
                        && !option.allowed().contains(String.valueOf(value))) {
                    problems.error(
                            at,
                            key + " must be one of " + option.allowed() + ", got `" + value + "`",
                            Suggestions.allowedKeys(String.valueOf(value), option.allowed()));
                    return false;
                }
            }
            case LIST -> {
                if (!(value instanceof List)) {
                    problems.error(at, key + " must be a list", fixFor(option));
                    return false;
                }
            }
            case MAP -> {
                if (!(value instanceof Map)) {
                    problems.error(at, key + " must be a mapping", fixFor(option));
                    return false;
                }
            }
        }
        return true;
    }

    /** What to write: the key with a value it accepts (its default when it has one). */
    static String fixFor(ConfigOption option) {
        String example =
                switch (option.type()) {
                    case NUMBER, INTEGER -> {
                        double v =
                                option.defaultValue() instanceof Number d
                                        ? d.doubleValue()
                                        : option.min() != null
                                                ? option.min()
                                                : option.max() != null ? option.max() : 1;
                        yield option.type() == ConfigOption.Type.INTEGER
                                ? String.valueOf((long) v)
                                : String.valueOf(v);
                    }
                    case BOOLEAN ->
                            String.valueOf(
                                    option.defaultValue() instanceof Boolean b ? b : Boolean.TRUE);
                    case STRING ->
                            option.defaultValue() != null
                                    ? String.valueOf(option.defaultValue())
                                    : option.allowed().isEmpty() ? "text" : option.allowed().get(0);
                    case LIST -> "[a, b]";
                    case MAP -> "{key: value}";
                };
        String bounds =
                switch (option.type()) {
                    case NUMBER, INTEGER ->
                            option.min() != null || option.max() != null
                                    ? " (within "
                                            + range(option).replace("the allowed range ", "")
                                            + ")"
                                    : "";
                    default -> "";
                };
        return "write `"
                + option.name()
                + ": "
                + example
                + "`"
                + bounds
                + (option.defaultValue() != null ? ", or leave it out for that default" : "");
    }

    private static String range(ConfigOption option) {
        String lo = option.min() == null ? "-∞" : trim(option.min());
        String hi = option.max() == null ? "∞" : trim(option.max());
        return "the allowed range [" + lo + ", " + hi + "]";
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.valueOf((long) v)
                : String.valueOf(v);
    }
}
