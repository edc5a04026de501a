package io.audioflow.api;

import java.io.Serializable;

/** A measured value together with the definition (name, unit) it was measured by. */
public record QualityMetric(MetricDefinition definition, double value) implements Serializable {

    public String name() {
        return definition.name();
    }

    public Unit unit() {
        return definition.unit();
    }
}
