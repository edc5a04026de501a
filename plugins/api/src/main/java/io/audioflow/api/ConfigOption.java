package io.audioflow.api;

import java.io.Serializable;
import java.util.List;

/**
 * One key a stage accepts under {@code config:}. The host validates types, ranges and unknown keys
 * from these declarations before the job starts, so plugins do not repeat those checks.
 *
 * @param defaultValue the value used when the key is absent, or null when the key is required
 * @param min inclusive lower bound for numbers, or null
 * @param max inclusive upper bound for numbers, or null
 * @param allowed the permitted values of a string option, or empty for any
 */
public record ConfigOption(
        String name,
        Type type,
        Object defaultValue,
        Double min,
        Double max,
        List<String> allowed,
        String description)
        implements Serializable {

    public enum Type {
        NUMBER,
        INTEGER,
        BOOLEAN,
        STRING,
        LIST,
        MAP
    }

    public ConfigOption {
        allowed = List.copyOf(allowed);
    }

    public static ConfigOption number(
            String name, double defaultValue, Double min, Double max, String description) {
        return new ConfigOption(name, Type.NUMBER, defaultValue, min, max, List.of(), description);
    }

    public static ConfigOption integer(
            String name, long defaultValue, Long min, Long max, String description) {
        return new ConfigOption(
                name,
                Type.INTEGER,
                defaultValue,
                min == null ? null : min.doubleValue(),
                max == null ? null : max.doubleValue(),
                List.of(),
                description);
    }

    public static ConfigOption bool(String name, boolean defaultValue, String description) {
        return new ConfigOption(
                name, Type.BOOLEAN, defaultValue, null, null, List.of(), description);
    }

    public static ConfigOption choice(
            String name, String defaultValue, List<String> allowed, String description) {
        return new ConfigOption(name, Type.STRING, defaultValue, null, null, allowed, description);
    }

    public static ConfigOption list(String name, String description) {
        return new ConfigOption(name, Type.LIST, List.of(), null, null, List.of(), description);
    }

    public boolean required() {
        return defaultValue == null;
    }
}
