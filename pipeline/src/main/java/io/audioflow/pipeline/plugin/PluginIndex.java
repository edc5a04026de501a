package io.audioflow.pipeline.plugin;

import io.audioflow.api.PluginInfo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry cache: what scanning each plugin candidate (a jar, or a folder of jars) found, keyed
 * by the candidate's path and each jar's path, size and modification time, with each jar's SHA-256.
 * A candidate whose jars are unchanged is not opened again: its plugins are declared from the index
 * and loaded only when a pipeline uses them, and its digests are not recomputed. A changed, added
 * or removed jar misses, is scanned, and replaces its entry.
 *
 * <p>Digests from the index decide which candidates pinning lets through, but a pinned plugin's
 * jars are hashed again when it is actually loaded: a jar swapped while keeping its size and time
 * is still refused.
 */
public final class PluginIndex {

    /** Bumped whenever the stored shapes change: an older file is then ignored and rewritten. */
    private static final long FORMAT = 0x61666978_00000003L;

    /** One jar as it was when scanned. */
    record JarStamp(String path, long size, long modifiedMillis, String sha256) {}

    /** A plugin class the scan instantiated, and what it declared. */
    record IndexedPlugin(
            String className,
            String source,
            PluginInfo info,
            String infoProblem,
            boolean implementsKind) {}

    /**
     * One candidate. {@code plugins} and {@code rejected} are null when it was never opened
     * (pinning refused it first): only the digests are known.
     */
    record Entry(List<JarStamp> jars, List<IndexedPlugin> plugins, List<RejectedPlugin> rejected) {

        boolean scanned() {
            return plugins != null;
        }
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private boolean changed;

    private PluginIndex(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** The index stored at {@code file}; empty when it is missing or unreadable (it is a cache). */
    public static PluginIndex at(Path file) {
        if (Files.isRegularFile(file)) {
            try (DataInputStream in =
                    new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                if (in.readLong() == FORMAT)
                    return new PluginIndex(file, PluginIndexCodec.read(in));
            } catch (IOException | RuntimeException e) {
                // A stale or damaged cache is rebuilt, never trusted.
            }
        }
        return new PluginIndex(file, new HashMap<>());
    }

    /** An index that is not stored: every scan opens every jar. */
    public static PluginIndex none() {
        return new PluginIndex(null, new HashMap<>());
    }

    /**
     * Where the CLI keeps its index: {@code PLUGIN_CACHE} (a file, or {@code none} to turn the
     * cache off), else {@code $XDG_CACHE_HOME/audioflow/plugin-index.bin}, else under {@code
     * ~/.cache}.
     */
    public static PluginIndex fromEnvironment(Map<String, String> env) {
        String configured = env.get("PLUGIN_CACHE");
        if ("none".equals(configured)) return none();
        if (configured != null && !configured.isBlank()) return at(Path.of(configured));
        return at(UserCacheDirectory.of(env).resolve("plugin-index.bin"));
    }

    /** The entry for a candidate whose jars are exactly as stamped now. */
    Optional<Entry> lookup(String candidate, List<Path> jars) throws IOException {
        Entry e = entries.get(candidate);
        if (e == null || e.jars().size() != jars.size()) return Optional.empty();
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            JarStamp s = e.jars().get(i);
            if (!s.path().equals(jar.toString())
                    || s.size() != Files.size(jar)
                    || s.modifiedMillis() != Files.getLastModifiedTime(jar).toMillis())
                return Optional.empty();
        }
        return Optional.of(e);
    }

    static List<JarStamp> stamp(List<Path> jars, List<String> digests) throws IOException {
        List<JarStamp> stamps = new ArrayList<>();
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            stamps.add(
                    new JarStamp(
                            jar.toString(),
                            Files.size(jar),
                            Files.getLastModifiedTime(jar).toMillis(),
                            digests.get(i)));
        }
        return stamps;
    }

    void put(String candidate, Entry entry) {
        entries.put(candidate, entry);
        changed = true;
    }

    /** Writes the index if a scan changed it; a cache that cannot be written is skipped. */
    public void save() {
        if (file == null || !changed) return;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp =
                    Files.createTempFile(file.toAbsolutePath().getParent(), "plugin-index", ".tmp");
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeLong(FORMAT);
                PluginIndexCodec.write(entries, out);
            }
            // Concurrent CLI runs: the last complete file wins, no reader sees half of one.
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed = false;
        } catch (IOException e) {
            // Only start-up time is lost.
        }
    }
}
