package io.audioflow.operators.plugin;

import io.audioflow.api.LifecycleListener;
import io.audioflow.api.StagePlugin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds plugins in the folders of {@code PLUGIN_PATHS} / {@code plugins.paths}: each jar directly
 * in a path is one plugin, and so is each sub-folder (all of its jars together). Every plugin gets
 * its own {@link PluginClassLoader}. A candidate that cannot be loaded is reported with the reason
 * and skipped; the scan goes on. With an allow-list of SHA-256 digests ({@code
 * plugins.allowed_sha256}), a plugin any of whose jars is not on it is refused before any of its
 * code runs, its digest printed so that an operator can pin it deliberately.
 */
final class ExternalPlugins {

    private static final String SERVICES = "META-INF/services/" + StagePlugin.class.getName();

    final List<StagePlugin> plugins = new ArrayList<>();
    final List<RejectedPlugin> rejected = new ArrayList<>();

    private final Set<String> allowedSha256;

    private ExternalPlugins(Set<String> allowedSha256) {
        this.allowedSha256 = allowedSha256;
    }

    /**
     * @param allowedSha256 digests of the jars that may load; empty: any jar
     */
    static ExternalPlugins scan(
            List<String> paths,
            Set<String> allowedSha256,
            ClassLoader host,
            LifecycleListener listener) {
        ExternalPlugins found = new ExternalPlugins(allowedSha256);
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
        if (!allowedSha256.isEmpty()) {
            for (Path jar : jars) {
                String digest;
                try {
                    digest = sha256(jar);
                } catch (IOException e) {
                    reject(where, where, "cannot read " + jar + ": " + e.getMessage(), listener);
                    return;
                }
                if (!allowedSha256.contains(digest)) {
                    reject(
                            where,
                            where,
                            "jar "
                                    + jar.getFileName()
                                    + " (sha256 "
                                    + digest
                                    + ") is not in plugins.allowed_sha256; add that digest to"
                                    + " trust this jar",
                            listener);
                    return;
                }
            }
        }
        URL[] urls = new URL[jars.size()];
        try {
            for (int i = 0; i < urls.length; i++) urls[i] = jars.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
            reject(where, where, e.getMessage(), listener);
            return;
        }
        PluginClassLoader loader =
                new PluginClassLoader("plugin:" + source.getFileName(), urls, host);
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
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    files.nextElement().openStream(), StandardCharsets.UTF_8))) {
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
            plugins.add((StagePlugin) type.getConstructor().newInstance());
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
}
