package io.audioflow.pipeline.plugin;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PluginLoadException;
import io.audioflow.api.StagePlugin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Finds plugins in the folders of {@code PLUGIN_PATHS} / {@code plugins.paths}: each jar directly
 * in a path is one plugin, and so is each sub-folder (all of its jars together). Every plugin gets
 * its own {@link PluginClassLoader}. A candidate that cannot be loaded is reported with the reason
 * and skipped; the scan goes on. With an allow-list of SHA-256 digests ({@code
 * plugins.allowed_sha256}), a plugin any of whose jars is not on it is refused before any of its
 * code runs, its digest printed so that an operator can pin it deliberately. With a {@link
 * PluginIndex}, unchanged candidates are declared from the index and opened only when used.
 */
final class ExternalPlugins {

    private static final String SERVICES = "META-INF/services/" + StagePlugin.class.getName();

    final List<Declared> declared = new ArrayList<>();
    final List<RejectedPlugin> rejected = new ArrayList<>();
    final List<PinnedOutJar> pinnedOut = new ArrayList<>();

    private final Set<String> allowedSha256;
    private final PluginIndex index;

    private ExternalPlugins(Set<String> allowedSha256, PluginIndex index) {
        this.allowedSha256 = allowedSha256;
        this.index = index;
    }

    /**
     * @param allowedSha256 digests of the jars that may load; empty: any jar
     */
    static ExternalPlugins scan(
            List<String> paths,
            Set<String> allowedSha256,
            ClassLoader host,
            LifecycleListener listener,
            PluginIndex index) {
        ExternalPlugins found = new ExternalPlugins(allowedSha256, index);
        for (String path : paths) {
            Path root = Path.of(path);
            if (!Files.isDirectory(root)) {
                if (path.endsWith(".jar") && Files.isRegularFile(root)) {
                    found.load(root, List.of(root), host, listener);
                } else {
                    found.reject(
                            path,
                            path,
                            "plugin path does not exist or is not a folder or jar",
                            listener);
                }
                continue;
            }
            try (Stream<Path> entries = Files.list(root)) {
                for (Path entry : entries.sorted().toList()) {
                    if (Files.isDirectory(entry)) {
                        found.load(entry, jarsIn(entry), host, listener);
                    } else if (entry.toString().endsWith(".jar")) {
                        found.load(entry, List.of(entry), host, listener);
                    }
                }
            } catch (IOException e) {
                found.reject(path, path, "cannot list plugin folder: " + e.getMessage(), listener);
            }
        }
        return found;
    }

    private static List<Path> jarsIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private void load(Path source, List<Path> jars, ClassLoader host, LifecycleListener listener) {
        String where = source.toString();
        if (jars.isEmpty()) {
            reject(where, where, "folder holds no jar", listener);
            return;
        }
        Optional<PluginIndex.Entry> indexed;
        List<String> digests = new ArrayList<>();
        try {
            indexed = index.lookup(where, jars);
            if (indexed.isPresent()) {
                for (PluginIndex.JarStamp s : indexed.get().jars()) digests.add(s.sha256());
            } else {
                for (Path jar : jars) digests.add(sha256(jar));
            }
        } catch (IOException e) {
            reject(where, where, "cannot read " + where + ": " + e.getMessage(), listener);
            return;
        }
        List<PluginIndex.JarStamp> stamps;
        try {
            stamps = PluginIndex.stamp(jars, digests);
        } catch (IOException e) {
            reject(where, where, "cannot read " + where + ": " + e.getMessage(), listener);
            return;
        }
        if (!allowedSha256.isEmpty()) {
            for (int i = 0; i < jars.size(); i++) {
                if (!allowedSha256.contains(digests.get(i))) {
                    reject(
                            where,
                            where,
                            "jar "
                                    + jars.get(i).getFileName()
                                    + " (sha256 "
                                    + digests.get(i)
                                    + ") is not in plugins.allowed_sha256; add that digest to"
                                    + " trust this jar",
                            listener);
                    pinnedOut.add(
                            new PinnedOutJar(
                                    where,
                                    jars.get(i).getFileName().toString(),
                                    digests.get(i),
                                    indexed.filter(PluginIndex.Entry::scanned)
                                            .map(
                                                    e ->
                                                            e.plugins().stream()
                                                                    .map(p -> p.info().name())
                                                                    .toList())
                                            .orElse(List.of()),
                                    serviceEntriesAsData(jars.get(i))));
                    if (indexed.isEmpty())
                        index.put(where, new PluginIndex.Entry(stamps, null, null));
                    return;
                }
            }
        }
        if (indexed.isPresent() && indexed.get().scanned()) {
            declareFromIndex(source, jars, digests, indexed.get(), host, listener);
            return;
        }
        int declaredBefore = declared.size();
        int rejectedBefore = rejected.size();
        open(source, jars, host, listener);
        List<PluginIndex.IndexedPlugin> found = new ArrayList<>();
        for (Declared d : declared.subList(declaredBefore, declared.size()))
            found.add(
                    new PluginIndex.IndexedPlugin(
                            d.className(),
                            d.source(),
                            d.info(),
                            d.infoProblem(),
                            d.implementsKind()));
        index.put(
                where,
                new PluginIndex.Entry(
                        stamps,
                        found,
                        new ArrayList<>(rejected.subList(rejectedBefore, rejected.size()))));
    }

    /**
     * Declares what the index says this unchanged candidate holds, without opening it; a plugin is
     * loaded (and, when pinned, its jars hashed again) only when something asks for it.
     */
    private void declareFromIndex(
            Path source,
            List<Path> jars,
            List<String> digests,
            PluginIndex.Entry entry,
            ClassLoader host,
            LifecycleListener listener) {
        Supplier<PluginClassLoader> loader =
                new Memo<>(() -> classLoader(source, jars, digests, host));
        for (PluginIndex.IndexedPlugin p : entry.plugins()) {
            declared.add(
                    new Declared(
                            p.className(),
                            p.source(),
                            p.info(),
                            p.infoProblem(),
                            p.implementsKind(),
                            new Memo<>(() -> instantiateIndexed(p, loader.get()))));
        }
        for (RejectedPlugin r : entry.rejected()) {
            rejected.add(r);
            listener.pluginRejected(r.candidate(), r.source(), r.reason());
        }
    }

    private PluginClassLoader classLoader(
            Path source, List<Path> jars, List<String> digests, ClassLoader host) {
        if (!allowedSha256.isEmpty()) {
            for (int i = 0; i < jars.size(); i++) {
                String now;
                try {
                    now = sha256(jars.get(i));
                } catch (IOException e) {
                    throw new PluginLoadException(
                            ErrorCode.PLUGIN_LOAD_FAILED, "cannot read " + jars.get(i), e);
                }
                if (!now.equals(digests.get(i)))
                    throw new PluginLoadException(
                            ErrorCode.PLUGIN_LOAD_FAILED,
                            "jar "
                                    + jars.get(i)
                                    + " changed since it was indexed (sha256 now "
                                    + now
                                    + "); it is not loaded");
            }
        }
        return new PluginClassLoader("plugin:" + source.getFileName(), urls(jars), host);
    }

    private static StagePlugin instantiateIndexed(
            PluginIndex.IndexedPlugin p, PluginClassLoader loader) {
        try {
            return (StagePlugin)
                    Class.forName(p.className(), false, loader).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new PluginLoadException(
                    ErrorCode.PLUGIN_LOAD_FAILED,
                    "plugin "
                            + p.info().coordinates()
                            + " from "
                            + p.source()
                            + " cannot be instantiated any more: "
                            + e,
                    e);
        }
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        try {
            for (int i = 0; i < urls.length; i++) urls[i] = jars.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        return urls;
    }

    /**
     * The class names a jar's services file lists, read from the zip as data: no class loader, so
     * nothing of a refused jar runs. Empty when the jar cannot be read.
     */
    private static List<String> serviceEntriesAsData(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(SERVICES);
            if (entry == null) return List.of();
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    zip.getInputStream(entry), StandardCharsets.UTF_8))) {
                return in.lines()
                        .map(line -> line.replaceAll("#.*", "").trim())
                        .filter(name -> !name.isEmpty())
                        .limit(100)
                        .toList();
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** Opens the candidate: its own class loader, its services file, an instance of each class. */
    private void open(Path source, List<Path> jars, ClassLoader host, LifecycleListener listener) {
        String where = source.toString();
        for (Path jar : jars) {
            // A class loader reads a file that is no zip as one without resources, which would be
            // reported as a jar without a services file.
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.size();
            } catch (IOException e) {
                reject(
                        where,
                        where,
                        jar.getFileName()
                                + " is not a valid jar (zip) file ("
                                + e.getMessage()
                                + "); rebuild it or remove it from the plugin path",
                        listener);
                return;
            }
        }
        PluginClassLoader loader =
                new PluginClassLoader("plugin:" + source.getFileName(), urls(jars), host);
        List<String> classNames;
        try {
            classNames = serviceEntries(loader);
        } catch (IOException e) {
            reject(where, where, "cannot read " + SERVICES + ": " + e.getMessage(), listener);
            return;
        }
        if (classNames.isEmpty()) {
            reject(
                    where,
                    where,
                    "no "
                            + SERVICES
                            + " file: list the plugin class there (see README, \"Writing a stage plugin\")",
                    listener);
        }
        for (String className : classNames) instantiate(className, loader, where, listener);
    }

    static String sha256(Path jar) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<String> serviceEntries(PluginClassLoader loader) throws IOException {
        List<String> names = new ArrayList<>();
        Enumeration<URL> files = loader.ownResources(SERVICES);
        while (files.hasMoreElements()) {
            // The JDK caches opened jars by URL: a plugin jar replaced since would be read stale.
            java.net.URLConnection connection = files.nextElement().openConnection();
            connection.setUseCaches(false);
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    connection.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String name = line.replaceAll("#.*", "").trim();
                    if (!name.isEmpty()) names.add(name);
                }
            }
        }
        return names;
    }

    private void instantiate(
            String className, ClassLoader loader, String where, LifecycleListener listener) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            if (!StagePlugin.class.isAssignableFrom(type)) {
                reject(
                        className,
                        where,
                        "does not implement " + StagePlugin.class.getName(),
                        listener);
                return;
            }
            declared.add(Declared.of((StagePlugin) type.getConstructor().newInstance()));
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            reject(
                    className,
                    where,
                    "class not found in the plugin's jars: " + e.getMessage(),
                    listener);
        } catch (NoSuchMethodException e) {
            reject(
                    className,
                    where,
                    "plugin class must have a public no-argument constructor",
                    listener);
        } catch (InvocationTargetException e) {
            reject(className, where, "constructor threw " + e.getCause(), listener);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            reject(className, where, "cannot be instantiated: " + e, listener);
        }
    }

    private void reject(String candidate, String where, String reason, LifecycleListener listener) {
        rejected.add(new RejectedPlugin(candidate, where, reason));
        listener.pluginRejected(candidate, where, reason);
    }

    /** Computes once, on first use. */
    private static final class Memo<T> implements Supplier<T> {
        private final Supplier<T> compute;
        private T value;

        Memo(Supplier<T> compute) {
            this.compute = compute;
        }

        @Override
        public synchronized T get() {
            if (value == null) value = compute.get();
            return value;
        }
    }
}
