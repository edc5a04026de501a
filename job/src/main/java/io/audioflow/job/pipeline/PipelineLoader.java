package io.audioflow.job.pipeline;

import io.audioflow.operators.plugin.PluginRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Reads, parses and validates a pipeline file: the one entry point the CLI and jobs use. */
public final class PipelineLoader {

    private final PluginRegistry registry;
    private final Map<String, String> env;

    public PipelineLoader(PluginRegistry registry, Map<String, String> env) {
        this.registry = registry;
        this.env = env;
    }

    /** The outcome: the validated pipeline when there are no errors, and every problem found. */
    public record Result(Optional<ValidatedPipeline> pipeline, Problems problems) {}

    public Result load(Path file) {
        Problems problems = new Problems();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(YamlLoader.MAX_BYTES + 1);
        } catch (IOException e) {
            problems.error(
                    SourcePosition.start(file.toString()),
                    "cannot read pipeline file: " + e.getMessage(),
                    "check the path (or PIPELINE_CONFIG_PATH)");
            return new Result(Optional.empty(), problems);
        }
        return load(bytes, file.toString(), problems);
    }

    public Result load(byte[] yaml, String name, Problems problems) {
        Optional<PipelineDefinition> definition =
                new PipelineParser(new EnvSubstitution(env)).parse(yaml, name, problems);
        Optional<ValidatedPipeline> validated =
                definition.flatMap(d -> new PipelineValidator(registry).validate(d, problems));
        return new Result(problems.hasErrors() ? Optional.empty() : validated, problems);
    }
}
