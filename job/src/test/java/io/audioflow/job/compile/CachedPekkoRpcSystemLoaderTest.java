package io.audioflow.job.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
