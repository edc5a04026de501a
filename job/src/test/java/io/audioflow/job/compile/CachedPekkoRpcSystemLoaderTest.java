package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.jar.JarFile;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedPekkoRpcSystemLoaderTest {

    private final ClassLoader flink = RpcSystem.class.getClassLoader();

    @Test
    void extractsTheJarOnceAndReusesIt(@TempDir Path cache) throws Exception {
        Path first = CachedPekkoRpcSystemLoader.cachedCopy(flink, cache.resolve("audioflow"));
        Files.setLastModifiedTime(first, FileTime.fromMillis(0));

        Path second = CachedPekkoRpcSystemLoader.cachedCopy(flink, cache.resolve("audioflow"));

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second).toMillis()).isZero();
        assertThat(first.getFileName().toString()).matches("flink-rpc-akka-[0-9a-f]+-\\d+\\.jar");
        try (JarFile jar = new JarFile(first.toFile())) {
            assertThat(jar.getEntry("org/apache/flink/runtime/rpc/pekko/PekkoRpcSystem.class"))
                    .isNotNull();
        }
        try (var files = Files.list(cache.resolve("audioflow"))) {
            assertThat(files).containsExactly(first); // no partial copies left
        }
    }

    @Test
    void replacesATruncatedCopy(@TempDir Path cache) throws Exception {
        Path copy = CachedPekkoRpcSystemLoader.cachedCopy(flink, cache);
        long size = Files.size(copy);
        Files.write(copy, new byte[100]);

        assertThat(CachedPekkoRpcSystemLoader.cachedCopy(flink, cache)).isEqualTo(copy);
        assertThat(Files.size(copy)).isEqualTo(size);
    }

    @Test
    void flinkLoadsThisRpcSystemAndItStartsServices(@TempDir Path cache) throws Exception {
        try (RpcSystem rpc =
                new CachedPekkoRpcSystemLoader(cache).loadRpcSystem(new Configuration())) {
            RpcService service = rpc.localServiceBuilder(new Configuration()).createAndStart();
            assertThat(service.getAddress()).isNotNull();
            service.closeAsync().get();
        }
        try (RpcSystem chosen = RpcSystem.load(new Configuration())) {
            assertThat(chosen.getClass().getEnclosingClass())
                    .as("the lowest load priority wins")
                    .isEqualTo(CachedPekkoRpcSystemLoader.class);
        }
    }

    @Test
    void closingOneLoadedSystemLeavesAnothersJarReadable(@TempDir Path cache) throws Exception {
        CachedPekkoRpcSystemLoader rpcLoader = new CachedPekkoRpcSystemLoader(cache);
        var first =
                (CachedPekkoRpcSystemLoader.ClosingClassLoader)
                        rpcLoader.loadRpcSystem(new Configuration());
        var second =
                (CachedPekkoRpcSystemLoader.ClosingClassLoader)
                        rpcLoader.loadRpcSystem(new Configuration());
        String resource = "org/apache/pekko/actor/ActorSystem.class";
        // A class loader keeps the jar it read a resource stream from, and closes it with itself.
        first.loader().getResourceAsStream(resource).close();

        // Pekko reads its reference.conf this way while another cluster of the JVM may be closing.
        try (InputStream reading = second.loader().findResource(resource).openStream()) {
            assertThat(reading.read(new byte[16])).isPositive();
            first.close();
            assertThat(reading.readAllBytes()).isNotEmpty();
        } finally {
            second.close();
        }
        try (var links = Files.list(cache.resolve("loaded"))) {
            assertThat(links).as("each system's link goes with it").isEmpty();
        }
    }

    @Test
    void removesOnlyLinksOfEndedProcessesOlderThanADay(@TempDir Path cache) throws Exception {
        Path jar = CachedPekkoRpcSystemLoader.cachedCopy(flink, cache);
        Path links = Files.createDirectories(cache.resolve("loaded"));
        long dead = 4_000_000;
        while (ProcessHandle.of(dead).isPresent()) dead++;
        long old = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
        long recent = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        long alive = ProcessHandle.current().pid();
        Path deadAndOld = Files.createFile(links.resolve(dead + "-" + old + "-a.jar"));
        Path deadButRecent = Files.createFile(links.resolve(dead + "-" + recent + "-b.jar"));
        Path aliveAndOld = Files.createFile(links.resolve(alive + "-" + old + "-c.jar"));

        Path link = CachedPekkoRpcSystemLoader.privateLink(jar);

        assertThat(deadAndOld).doesNotExist();
        assertThat(deadButRecent).exists();
        assertThat(aliveAndOld).exists();
        assertThat(link.getFileName().toString()).startsWith(alive + "-");
        assertThat(Files.isSameFile(link, jar) || Files.mismatch(link, jar) == -1).isTrue();
    }

    @Test
    void failsSoThatFlinkFallsBackWhenTheCacheCannotBeWritten(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                new CachedPekkoRpcSystemLoader(notADirectory.resolve("cache"))
                                        .loadRpcSystem(new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flink-rpc-akka.jar");
    }
}
