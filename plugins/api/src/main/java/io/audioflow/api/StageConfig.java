package io.audioflow.api;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's {@code config:} block with the plugin's defaults filled in. Values are the plain YAML
 * types: String, Long, Double, Boolean, List and Map.
 */
public final class StageConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> values;

    private StageConfig(Map<String, Object> values) {
        this.values = new LinkedHashMap<>(values);
    }

    public static StageConfig empty() {
        return new StageConfig(Map.of());
    }

    public static StageConfig of(Map<String, ?> values) {
        return new StageConfig(Collections.unmodifiableMap(values));
    }

    /** The given values over the option defaults. */
    public static StageConfig withDefaults(Map<String, ?> values, List<ConfigOption> options) {
        LinkedHashMap<String, Object> merged = new LinkedHashMap<>();
        for (ConfigOption option : options) {
            if (option.defaultValue() != null) merged.put(option.name(), option.defaultValue());
        }
        merged.putAll(values);
        return new StageConfig(merged);
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public double getDouble(String key) {
        return ((Number) require(key)).doubleValue();
    }

    public int getInt(String key) {
        return Math.toIntExact(((Number) require(key)).longValue());
    }

    public long getLong(String key) {
        return ((Number) require(key)).longValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) require(key);
    }

    public String getString(String key) {
        return String.valueOf(require(key));
    }

    @SuppressWarnings("unchecked")
    public List<Object> getList(String key) {
        Object value = values.get(key);
        return value == null ? List.of() : (List<Object>) value;
    }

    private Object require(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new ValidationException(
                    ErrorCode.INVALID_CONFIG, "config key `" + key + "` is required but not set");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageConfig other && other.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
