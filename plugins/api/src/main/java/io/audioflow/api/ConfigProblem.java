package io.audioflow.api;

/**
 * A problem in a stage's config found by {@link StagePlugin#validate}.
 *
 * @param key the config key at fault (dotted for nested keys, e.g. {@code rules.0.threshold})
 * @param fix what the user should write instead
 */
public record ConfigProblem(String key, String message, String fix) {}
