package io.audioflow.pipeline.definition;

import io.audioflow.api.LifecycleListener;
import io.audioflow.pipeline.plugin.PluginIndex;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** Reads, parses and validates a pipeline file: the one entry point the CLI and jobs use. */
public final class PipelineLoader {

    private final BiFunction<List<String>, List<String>, PluginRegistry> registries;
    private final Map<String, String> env;

    /** Validates against a fixed set of plugins (tests, tools that already hold a registry). */
    public PipelineLoader(PluginRegistry registry, Map<String, String> env) {
        this((paths, pinned) -> registry, env);
    }

    /**
     * Loads the plugins for each pipeline: the built-ins plus those in {@code PLUGIN_PATHS}
     * (':'-separated) and in the pipeline's own {@code plugins.paths}, through the registry cache
     * ({@code PLUGIN_CACHE}, see {@link PluginIndex#fromEnvironment}).
     */
    public static PipelineLoader withPluginPaths(
            Map<String, String> env, LifecycleListener listener) {
        return new PipelineLoader(
                (paths, pinned) ->
                        PluginRegistry.load(
                                paths, pinned, listener, PluginIndex.fromEnvironment(env)),
                env);
    }

    private PipelineLoader(
            BiFunction<List<String>, List<String>, PluginRegistry> registries,
            Map<String, String> env) {
        this.registries = registries;
        this.env = env;
    }

    /** PLUGIN_PATHS, then the pipeline's plugins.paths. */
    public static List<String> pluginPaths(Map<String, String> env, PipelineDefinition pipeline) {
        List<String> paths = new ArrayList<>();
        String fromEnv = env.get("PLUGIN_PATHS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            for (String p : fromEnv.split(":")) if (!p.isBlank()) paths.add(p);
        }
        if (pipeline != null) paths.addAll(pipeline.pluginPaths());
        return paths;
    }

    /** PLUGIN_ALLOWED_SHA256 (comma-separated), then the pipeline's plugins.allowed_sha256. */
    public static List<String> allowedPluginSha256(
            Map<String, String> env, PipelineDefinition pipeline) {
        List<String> digests = new ArrayList<>();
        String fromEnv = env.get("PLUGIN_ALLOWED_SHA256");
        if (fromEnv != null)
            for (String d : fromEnv.split(","))
                if (!d.isBlank()) digests.add(d.strip().toLowerCase(java.util.Locale.ROOT));
        if (pipeline != null) digests.addAll(pipeline.allowedPluginSha256());
        return digests;
    }

    /**
     * Entries of PLUGIN_ALLOWED_SHA256 that are not SHA-256 digests. Pinning with none of its
     * digests valid would pin nothing and let every jar load, so a bad one is an error, never
     * skipped.
     */
    public static List<String> invalidAllowedSha256(Map<String, String> env) {
        String fromEnv = env.get("PLUGIN_ALLOWED_SHA256");
        if (fromEnv == null) return List.of();
        return java.util.Arrays.stream(fromEnv.split(","))
                .map(String::strip)
                .filter(d -> !d.isEmpty() && !d.matches("(?i)[0-9a-f]{64}"))
                .toList();
    }

    /** One line for each of {@link #invalidAllowedSha256}. */
    public static String invalidDigestMessage(String digest) {
        return "PLUGIN_ALLOWED_SHA256 holds `" + digest + "`, which is not a SHA-256 digest";
    }

    public static final String DIGEST_FIX =
            "64 hex digits, comma-separated, as `sha256sum plugin.jar` or `audioflow plugins"
                    + " --verbose` prints";

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
        for (String digest : invalidAllowedSha256(env))
            problems.error(SourcePosition.start(name), invalidDigestMessage(digest), DIGEST_FIX);
        Optional<PipelineDefinition> definition =
                new PipelineParser(new EnvSubstitution(env)).parse(yaml, name, problems);
        Optional<ValidatedPipeline> validated =
                definition.flatMap(
                        d -> {
                            List<String> paths = pluginPaths(env, d);
                            List<String> pinned = allowedPluginSha256(env, d);
                            return new PipelineValidator(
                                            registries.apply(paths, pinned), paths, pinned)
                                    .validate(d, problems);
                        });
        return new Result(problems.hasErrors() ? Optional.empty() : validated, problems);
    }
}
