package io.audioflow.job.cli;

import io.audioflow.api.Spi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the versions this build was made with, as {@code flink --version} prints
 * Flink's. They come from a resource the build fills in, so classes run from an IDE or a test say
 * the same as the jar.
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties v = versions();
        return new String[] {
            "audioflow " + v.getProperty("audioflow", "unknown"),
            "stage SPI " + Spi.VERSION,
            "Flink " + v.getProperty("flink", "unknown"),
            "flink-connector-kafka " + v.getProperty("flink-connector-kafka", "unknown"),
            "kafka-clients " + v.getProperty("kafka-clients", "unknown"),
            "Java " + System.getProperty("java.version")
        };
    }

    static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build's version.properties", e);
        }
        return p;
    }
}
