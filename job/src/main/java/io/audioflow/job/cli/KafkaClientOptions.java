package io.audioflow.job.cli;

import io.audioflow.job.kafka.KafkaConnection;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Kafka client properties for every command that talks to Kafka, as a mixin: a properties file as
 * Kafka's own tools take {@code --command-config}, and single properties. Precedence, lowest first:
 * the pipeline's {@code kafka.properties}, then {@code --kafka-config}, then {@code
 * --kafka-property}.
 */
final class KafkaClientOptions {

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties (security.protocol, sasl.*, ssl.*, …) from a Java"
                            + " properties file, as Kafka's tools take --command-config.")
    Path configFile;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A Kafka client property; repeatable; wins over --kafka-config and the"
                            + " pipeline's kafka.properties.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The client properties to use, over {@code fromPipeline}. */
    Map<String, String> over(Map<String, String> fromPipeline) {
        Map<String, String> all = new TreeMap<>(fromPipeline);
        if (configFile != null) all.putAll(read(configFile));
        all.putAll(properties);
        return all;
    }

    KafkaConnection connection(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, over(Map.of()));
    }

    private static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read --kafka-config " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
