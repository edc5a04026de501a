package io.audioflow.job.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables audioflow reads, in one place: {@code PIPELINE_CONFIG_PATH} (default
 * pipeline file), {@code PLUGIN_PATHS} (extra plugin folders, ':'-separated) and {@code
 * MAX_WORKERS} (upper bound on any operator's parallelism). The same map feeds {@code ${VAR}}
 * substitution in pipeline files.
 */
public record Environment(Map<String, String> variables) {

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public Path pipelinePath(Path explicit) {
        if (explicit != null) return explicit;
        String fromEnv = variables.get("PIPELINE_CONFIG_PATH");
        return Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : "config/pipeline.yaml");
    }

    /** True when {@code PIPELINE_CONFIG_PATH} names the pipeline. */
    public boolean pipelineFromVariable() {
        String fromEnv = variables.get("PIPELINE_CONFIG_PATH");
        return fromEnv != null && !fromEnv.isBlank();
    }

    public List<String> pluginPaths() {
        String paths = variables.get("PLUGIN_PATHS");
        return paths == null || paths.isBlank() ? List.of() : List.of(paths.split(":"));
    }

    public Optional<Integer> maxWorkers() {
        String value = variables.get("MAX_WORKERS");
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) throw new NumberFormatException();
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "MAX_WORKERS must be a positive whole number, got `" + value + "`");
        }
    }
}
