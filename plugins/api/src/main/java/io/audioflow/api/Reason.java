package io.audioflow.api;

/**
 * Why a rule fired: {@code metric} (a {@code <stage>.<metric>} key) had {@code value}, which is
 * {@code comparison} {@code threshold}; the rule asks for {@code verdict}. A metric that was
 * missing has a NaN value and comparison {@code missing}.
 */
public record Reason(
        String rule,
        String metric,
        double value,
        String comparison,
        double threshold,
        Verdict verdict) {}
