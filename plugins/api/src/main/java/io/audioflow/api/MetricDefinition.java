package io.audioflow.api;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A metric an analyzer produces: its name within the stage (the result key is {@code
 * <stage>.<name>}), its unit and a one-line definition that says how it is computed.
 */
public record MetricDefinition(String name, Unit unit, String definition) implements Serializable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public MetricDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "metric name `" + name + "` must be snake_case ([a-z][a-z0-9_]*)");
        }
    }

    public QualityMetric value(double value) {
        return new QualityMetric(this, value);
    }
}
