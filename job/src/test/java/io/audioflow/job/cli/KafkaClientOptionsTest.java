package io.audioflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.job.kafka.KafkaConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaClientOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin KafkaClientOptions kafka;
    }

    private static KafkaClientOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.kafka;
    }

    @Test
    void commandLineBeatsTheFileAndTheFileBeatsThePipeline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nrequest.timeout.ms=5000\n");
        KafkaClientOptions options =
                parse(
                        "--kafka-config",
                        file.toString(),
                        "--kafka-property",
                        "request.timeout.ms=9000",
                        "--kafka-property",
                        "client.rack=r1");
        Map<String, String> all =
                options.over(Map.of("security.protocol", "SSL", "ssl.truststore.type", "PKCS12"));
        assertThat(all)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("request.timeout.ms", "9000")
                .containsEntry("client.rack", "r1");
    }

    @Test
    void theContractOfAClientWinsOverUserPropertiesAndSecretsAreNeverShown() {
        KafkaConnection c =
                new KafkaConnection(
                        "broker:9093",
                        Map.of(
                                "isolation.level", "read_uncommitted",
                                "sasl.jaas.config", "… password=\"hunter2\";",
                                "ssl.truststore.password", "hunter3",
                                "security.protocol", "SASL_SSL"));
        Map<String, Object> config =
                c.clientConfig(
                        Map.of("client.id", "audioflow-reader"),
                        Map.of("isolation.level", "read_committed"));
        assertThat(config)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.toString()).doesNotContain("hunter").contains("***", "SASL_SSL");
        assertThat(c.masked())
                .containsEntry("sasl.jaas.config", "***")
                .containsEntry("ssl.truststore.password", "***");
    }

    @Test
    void aMalformedPropertyIsMaskedInTheUsageError() {
        CliRunner.Run run =
                CliRunner.withEnv(Map.of())
                        .run(
                                "tail",
                                "--bootstrap-servers",
                                "127.0.0.1:1",
                                // no `=`: picocli's error quotes the value it could not split
                                "--kafka-property",
                                "hunter2");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err() + run.out()).doesNotContain("hunter2");
    }
}
