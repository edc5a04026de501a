package io.audioflow.job.compile;

import io.audioflow.operators.plugin.UserCacheDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.jar.JarEntry;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;

/**
 * Flink's Pekko RPC system from a copy of its jar kept in the user's cache directory ({@code
 * $XDG_CACHE_HOME/audioflow} or {@code ~/.cache/audioflow}), named by the jar's CRC and size,
 * instead of a fresh copy in {@code /tmp} for every process. Flink's own loader writes the 21 MB
 * jar out of the CLI jar on every start: that cost each CLI run with a local Flink about 0.1
 * CPU-seconds, and the copies stayed behind in {@code /tmp}, one per run. Ahead of Flink's loader
 * (priority -1 against 0); if the cache cannot be written, this loader fails and Flink's takes
 * over.
 */
public final class CachedPekkoRpcSystemLoader implements RpcSystemLoader {

    private static final String FAT_JAR = "flink-rpc-akka.jar";

    private final Path directory;

    public CachedPekkoRpcSystemLoader() {
        this(UserCacheDirectory.of(System.getenv()));
    }

    CachedPekkoRpcSystemLoader(Path directory) {
        this.directory = directory;
    }

    @Override
    public int getLoadPriority() {
        return -1;
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        ClassLoader flinkClassLoader = RpcSystem.class.getClassLoader();
        try {
            Path link = privateLink(cachedCopy(flinkClassLoader, directory));
            SubmoduleClassLoader loader =
                    new SubmoduleClassLoader(new URL[] {link.toUri().toURL()}, flinkClassLoader);
            try {
                return new ClosingClassLoader(
                        ServiceLoader.load(RpcSystem.class, loader).iterator().next(),
                        loader,
                        link);
            } catch (RuntimeException e) {
                loader.close();
                Files.deleteIfExists(link);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("No cached copy of " + FAT_JAR + ": " + e, e);
        }
    }

    /** The jar in {@code directory}, written there (atomically) the first time. */
    static Path cachedCopy(ClassLoader classLoader, Path directory) throws IOException {
        URL resource = classLoader.getResource(FAT_JAR);
        if (resource == null) throw new IOException(FAT_JAR + " is not on the class path");
        URLConnection connection = resource.openConnection();
        connection.setUseCaches(false);
        if (!(connection instanceof JarURLConnection jarConnection))
            throw new IOException(FAT_JAR + " is not inside a jar: " + resource);
        JarEntry entry = jarConnection.getJarEntry();
        long size = entry.getSize();
        long crc = entry.getCrc();
        Path target =
                directory.resolve("flink-rpc-akka-" + Long.toHexString(crc) + "-" + size + ".jar");
        if (Files.isRegularFile(target) && Files.size(target) == size) return target;
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "flink-rpc-akka-", ".part");
        try (InputStream in = jarConnection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(
                    partial,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    /**
     * A path of its own to the cached jar for one loaded RPC system, as Flink's fresh copy per load
     * is. The JDK shares one open JarFile among all URLs into one path, and a class loader that
     * read through it closes it when it closes: a cluster shutting down then broke the reading of
     * Pekko's reference.conf by another one starting in the same JVM ("Stream closed"). A hard link
     * copies nothing; where links are not supported, this copies the jar.
     */
    static Path privateLink(Path jar) throws IOException {
        Path links = jar.resolveSibling("loaded");
        Files.createDirectories(links);
        removeLinksOfEndedProcesses(links);
        // Named by owner and creation time: a hard link's own times are those of the cached jar.
        Path link =
                links.resolve(
                        ProcessHandle.current().pid()
                                + "-"
                                + System.currentTimeMillis()
                                + "-"
                                + UUID.randomUUID()
                                + ".jar");
        try {
            Files.createLink(link, jar);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(jar, link);
        }
        return link;
    }

    /** Links left by processes that ended without closing their RPC system (killed, crashed). */
    private static void removeLinksOfEndedProcesses(Path links) {
        long dayAgo = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(links, "*-*-*.jar")) {
            for (Path link : stale) {
                String[] pidAndTime = link.getFileName().toString().split("-", 3);
                long pid = Long.parseLong(pidAndTime[0]);
                long created = Long.parseLong(pidAndTime[1]);
                // Old and without a live owner: a pid from another PID namespace may look dead.
                if (ProcessHandle.of(pid).isEmpty() && created < dayAgo) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a stale link is a directory entry, not a copy.
        }
    }

    /**
     * Closes the class loader with the RPC system and removes its link; the cached jar stays for
     * the next run.
     */
    record ClosingClassLoader(RpcSystem rpcSystem, SubmoduleClassLoader loader, Path link)
            implements RpcSystem {

        @Override
        public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
            return rpcSystem.localServiceBuilder(configuration);
        }

        @Override
        public RpcServiceBuilder remoteServiceBuilder(
                Configuration configuration, String externalAddress, String externalPortRange) {
            return rpcSystem.remoteServiceBuilder(
                    configuration, externalAddress, externalPortRange);
        }

        @Override
        public String getRpcUrl(
                String hostname,
                int port,
                String endpointName,
                AddressResolution addressResolution,
                Configuration config)
                throws UnknownHostException {
            return rpcSystem.getRpcUrl(hostname, port, endpointName, addressResolution, config);
        }

        @Override
        public java.net.InetSocketAddress getInetSocketAddressFromRpcUrl(String url)
                throws Exception {
            return rpcSystem.getInetSocketAddressFromRpcUrl(url);
        }

        @Override
        public long getMaximumMessageSizeInBytes(Configuration config) {
            return rpcSystem.getMaximumMessageSizeInBytes(config);
        }

        @Override
        public void close() {
            rpcSystem.close();
            try {
                loader.close();
                Files.deleteIfExists(link);
            } catch (IOException e) {
                // the process is ending with the cluster; an unclosed jar costs nothing then
            }
        }
    }
}
