package io.audioflow.pipeline.plugin;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI keeps what it may reuse between runs (the plugin index, Flink's RPC jar): {@code
 * $XDG_CACHE_HOME/audioflow}, else {@code ~/.cache/audioflow}.
 */
public final class UserCacheDirectory {

    private UserCacheDirectory() {}

    public static Path of(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("audioflow");
    }
}
