package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;
import org.junit.jupiter.api.Test;

/**
 * The CLI jar unpacks every dependency into one jar, where only one {@code Log4j2Plugins.dat} can
 * live: log4j-core's alone would hide the JSON layout that {@code --log-format json} uses. The job
 * module therefore ships the merged cache of all its dependencies, and this test keeps it complete.
 * After a Log4j upgrade, rewrite it with {@code mvn -pl job test -Dtest=Log4jPluginCacheTest
 * -Dlog4j.plugins.update=true}.
 */
class Log4jPluginCacheTest {

    private static final Path COMMITTED =
            Path.of("src/main/resources", PluginProcessor.PLUGIN_CACHE_FILE);

    @Test
    void theJobShipsEveryDependencysLog4jPlugins() throws IOException {
        List<URL> dependencies =
                Collections.list(
                                getClass()
                                        .getClassLoader()
                                        .getResources(PluginProcessor.PLUGIN_CACHE_FILE))
                        .stream()
                        .filter(url -> url.getProtocol().equals("jar"))
                        .toList();
        PluginCache merged = new PluginCache();
        merged.loadCacheFiles(Collections.enumeration(dependencies));
        if (Boolean.getBoolean("log4j.plugins.update")) {
            try (OutputStream out = Files.newOutputStream(COMMITTED)) {
                merged.writeCache(out);
            }
        }
        PluginCache committed = new PluginCache();
        committed.loadCacheFiles(Collections.enumeration(List.of(COMMITTED.toUri().toURL())));
        assertThat(dependencies).hasSizeGreaterThanOrEqualTo(2);
        assertThat(names(committed))
                .as(
                        "%s lacks plugins of %s; rewrite it: mvn -pl job test"
                                + " -Dtest=Log4jPluginCacheTest -Dlog4j.plugins.update=true",
                        COMMITTED, dependencies)
                .containsAllEntriesOf(names(merged));
    }

    /** Plugin class names by category and key. */
    private static Map<String, String> names(PluginCache cache) {
        Map<String, String> names = new TreeMap<>();
        cache.getAllCategories()
                .forEach(
                        (category, plugins) ->
                                plugins.forEach(
                                        (key, plugin) ->
                                                names.put(
                                                        category + "/" + key,
                                                        plugin.getClassName())));
        return names;
    }
}
