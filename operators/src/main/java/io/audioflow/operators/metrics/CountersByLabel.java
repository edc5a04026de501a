package io.audioflow.operators.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * A counter per value of one label, created on first use ({@code dead_letters{code="…"}}, {@code
 * results{verdict="…"}}): the values are open-ended, so they cannot be registered up front.
 */
public final class CountersByLabel {

    private final MetricGroup group;
    private final String label;
    private final String name;
    private final Map<String, Counter> counters = new HashMap<>();

    public CountersByLabel(MetricGroup group, String label, String name) {
        this.group = group;
        this.label = label;
        this.name = name;
    }

    public void inc(String value) {
        String v = value == null ? "none" : value;
        counters.computeIfAbsent(v, x -> group.addGroup(label, x).counter(name)).inc();
    }
}
