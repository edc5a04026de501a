package io.audioflow.job.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.cli.CliRunner;
import io.audioflow.job.testing.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's three commands against {@code deploy/local up --secure}: a broker process with a
 * SASL_SSL listener (SCRAM-SHA-512, TLS, ACLs), a JobManager and a TaskManager. {@code publish} and
 * {@code tail} take the printed client config with {@code --kafka-config}, and so does the job jar
 * submitted to the cluster; every recording's result comes back, and the passwords the stack made
 * appear in no output and in none of the processes' logs.
 */
class SecureLocalClusterE2EITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RUN = Path.of("target/e2e-secure-run").toAbsolutePath();
    private static JsonNode cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster =
                JSON.readTree(
                        LocalCluster.lastLine(
                                LocalCluster.script(
                                        RUN,
                                        "up",
                                        List.of("--secure", "--taskmanagers", "1"),
                                        600)));
    }

    @AfterAll
    static void down() throws Exception {
        LocalCluster.script(RUN, "down", List.of(), 120);
    }

    @Test
    void publishRunAndTailWorkWithTheClientConfigTheStackPrints() throws Exception {
        String servers = cluster.path("secure_bootstrap_servers").asText();
        String config = cluster.path("client_config").asText();
        assertThat(servers).isNotBlank().isNotEqualTo(cluster.path("bootstrap_servers").asText());
        Properties client = new Properties();
        try (var in = Files.newBufferedReader(Path.of(config))) {
            client.load(in);
        }
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        String password =
                client.getProperty("sasl.jaas.config")
                        .replaceAll(".*password=\"([^\"]+)\".*", "$1");
        Path audio = LocalCluster.ROOT.resolve("test-data/audio");
        long recordings;
        try (var files = Files.list(audio)) {
            recordings = files.count();
        }

        CliRunner cli = CliRunner.withEnv(Map.of());
        CliRunner.Run publish =
                cli.run(
                        "publish",
                        "--bootstrap-servers",
                        servers,
                        "--kafka-config",
                        config,
                        audio.toString());
        assertThat(publish.exitCode()).as(publish.err()).isZero();

        String job =
                LocalCluster.lastLine(
                        LocalCluster.script(
                                RUN,
                                "submit",
                                List.of(
                                        LocalCluster.ROOT
                                                .resolve("job/target/audioflow-job.jar")
                                                .toString(),
                                        "--pipeline",
                                        LocalCluster.ROOT
                                                .resolve("config/pipeline.yaml")
                                                .toString(),
                                        "--bootstrap-servers",
                                        servers,
                                        "--kafka-config",
                                        config),
                                120));
        try {
            CliRunner.Run tail =
                    cli.run(
                            "tail",
                            "--bootstrap-servers",
                            servers,
                            "--kafka-config",
                            config,
                            "--topic",
                            "audio.results",
                            "--max-records",
                            String.valueOf(recordings),
                            "--duration-s",
                            "180");
            assertThat(tail.exitCode()).as(tail.err()).isZero();
            try (var files = Files.list(audio)) {
                assertThat(tail.out())
                        .contains(files.map(f -> f.getFileName().toString()).toList());
            }
            List<String> secrets = List.of(password, client.getProperty("ssl.truststore.password"));
            for (String output : List.of(publish.out(), publish.err(), tail.out(), tail.err()))
                assertThat(output).doesNotContain(secrets);
            // The broker's, the JobManager's and the TaskManager's logs, as an operator ships them.
            try (var logs = Files.walk(RUN.resolve("logs"))) {
                for (Path log : logs.filter(Files::isRegularFile).toList())
                    assertThat(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1))
                            .as(log.toString())
                            .doesNotContain(secrets);
            }
        } finally {
            LocalCluster.script(RUN, "cancel", List.of(job), 60);
        }
    }
}
