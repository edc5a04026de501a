package io.audioflow.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.cli.CliRunner;
import io.audioflow.job.pipeline.ValidatedPipeline;
import io.audioflow.operators.ingest.ReassemblyLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * audioflow against a secured Kafka: a broker listener that requires SASL_SSL with SCRAM-SHA-512,
 * certificates made for this run, and ACLs enforced. The job's principal may read the input topic
 * and its group, write the results and dead letters, and use its transactional ids, nothing more;
 * it still delivers every result exactly once. A wrong password and a missing ACL each end in one
 * line, within seconds; no password ever shows in what the commands print or the job writes.
 */
class SecureKafkaITCase {

    private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
    private static final String JOB_PASSWORD = "job-" + UUID.randomUUID();
    private static final String ANALYST_PASSWORD = "analyst-" + UUID.randomUUID();
    private static final String NOBODY_PASSWORD = "nobody-" + UUID.randomUUID();
    private static final String OPERATOR_PASSWORD = "operator-" + UUID.randomUUID();

    private static Path dir;
    private static Path truststore;
    private static EmbeddedKafka kafka;
    private static ValidatedPipeline pipeline;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        dir = Files.createTempDirectory("audioflow-secure-");
        Path keystore = dir.resolve("broker.p12");
        truststore = dir.resolve("trust.p12");
        Certificates.selfSigned(keystore, truststore, STORE_PASSWORD);
        kafka = EmbeddedKafka.start(new EmbeddedKafka.SaslSsl(keystore, STORE_PASSWORD));
        try (Admin admin = kafka.admin()) {
            admin.alterUserScramCredentials(
                            List.of(
                                    scram("audioflow-job", JOB_PASSWORD),
                                    scram("analyst", ANALYST_PASSWORD),
                                    scram("nobody", NOBODY_PASSWORD),
                                    scram("operator", OPERATOR_PASSWORD)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        pipeline = KafkaFixture.defaultPipeline();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
        if (dir != null) CheckpointProbe.deleteRecursively(dir);
    }

    private static UserScramCredentialUpsertion scram(String user, String password) {
        return new UserScramCredentialUpsertion(
                user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password);
    }

    /** What a client of the secured listener puts in its --kafka-config file. */
    private static Map<String, String> clientProperties(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";",
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.location",
                truststore.toString(),
                "ssl.truststore.password",
                STORE_PASSWORD);
    }

    private static Path configFile(String name, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        // Properties files treat backslashes as escapes; these values have none.
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve(name + ".properties"), text);
    }

    private static AclBinding allow(
            ResourceType type, String name, PatternType pattern, String user, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    /** The job's ACLs, and nothing more: what docs/security.md tells an operator to grant. */
    private static void grantTheJob(KafkaSettings topics) throws Exception {
        String job = "audioflow-job";
        try (Admin admin = kafka.admin()) {
            admin.createAcls(
                            List.of(
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.inputTopic(),
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.READ),
                                    allow(
                                            ResourceType.GROUP,
                                            topics.groupId(),
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.READ),
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.resultsTopic(),
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.WRITE),
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.dlqTopic(),
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.WRITE),
                                    allow(
                                            ResourceType.TRANSACTIONAL_ID,
                                            topics.transactionalIdPrefix(),
                                            PatternType.PREFIXED,
                                            job,
                                            AclOperation.WRITE),
                                    // control updates: the job reads them and answers
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.controlTopic(),
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.READ),
                                    allow(
                                            ResourceType.GROUP,
                                            topics.groupId() + "-control",
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.READ),
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.controlResultsTopic(),
                                            PatternType.LITERAL,
                                            job,
                                            AclOperation.WRITE),
                                    // an operator sends them and reads the answers
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.controlTopic(),
                                            PatternType.LITERAL,
                                            "operator",
                                            AclOperation.WRITE),
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.controlResultsTopic(),
                                            PatternType.LITERAL,
                                            "operator",
                                            AclOperation.READ),
                                    allow(
                                            ResourceType.TOPIC,
                                            topics.resultsTopic(),
                                            PatternType.LITERAL,
                                            "analyst",
                                            AclOperation.READ)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theJobRunsExactlyOnceThroughSaslSslWithOnlyItsAcls() throws Exception {
        KafkaSettings plain = KafkaFixture.freshTopics(kafka, 1);
        grantTheJob(plain);
        KafkaSettings secured =
                plain.toBuilder()
                        .connection(
                                new KafkaConnection(
                                        kafka.secureBootstrapServers(),
                                        clientProperties("audioflow-job", JOB_PASSWORD)))
                        .monitorTopic(null)
                        .build();
        List<String> files = List.of("sine-1k-16k-mono.wav", "quiet-noise-16k-mono.wav");
        try (ChunkPublisher publisher =
                new ChunkPublisher(kafka.bootstrapServers(), plain.inputTopic(), 500, Map.of())) {
            for (String f : files)
                publisher.publish(KafkaFixture.AUDIO.resolve(f), f, "pcm_s16le", 0, 0);
        }
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints-" + UUID.randomUUID()));
        JobClient job =
                KafkaFixture.startJob(
                        pipeline,
                        secured,
                        KafkaFixture.testExecution(pipeline, checkpoints),
                        null,
                        ReassemblyLimits.defaults(),
                        "secured");
        CliRunner.Run control;
        try {
            KafkaFixture.results(
                    kafka.bootstrapServers(),
                    plain.resultsTopic(),
                    files.size(),
                    Duration.ofSeconds(90));
            // An operator changes a threshold of the running job through the secured broker.
            Path operator = configFile("operator", clientProperties("operator", OPERATOR_PASSWORD));
            control =
                    CliRunner.withEnv(Map.of())
                            .run(
                                    "control",
                                    "--bootstrap-servers",
                                    kafka.secureBootstrapServers(),
                                    "--kafka-config",
                                    operator.toString(),
                                    "--topic",
                                    plain.controlTopic(),
                                    "--results-topic",
                                    plain.controlResultsTopic(),
                                    "set",
                                    "decision",
                                    "rules.too_quiet.below=-60");
        } finally {
            job.cancel().get();
        }
        // One more than expected, to catch a duplicate.
        List<JsonNode> results =
                KafkaFixture.results(
                        kafka.bootstrapServers(),
                        plain.resultsTopic(),
                        files.size() + 1,
                        Duration.ofSeconds(3));
        assertThat(results)
                .extracting(r -> r.path("recording_id").asText())
                .containsExactlyInAnyOrderElementsOf(files);
        assertThat(results).allSatisfy(r -> assertThat(r.has("error")).isFalse());
        assertThat(control.exitCode()).as(control.out() + control.err()).isZero();
        assertThat(control.out()).contains("accepted", "config_version 2");

        // An analyst reads them with `tail` and a --kafka-config file, as with Kafka's tools.
        Path analyst = configFile("analyst", clientProperties("analyst", ANALYST_PASSWORD));
        CliRunner.Run tail =
                CliRunner.withEnv(Map.of())
                        .run(
                                "tail",
                                "--bootstrap-servers",
                                kafka.secureBootstrapServers(),
                                "--kafka-config",
                                analyst.toString(),
                                "--topic",
                                plain.resultsTopic(),
                                "--max-records",
                                String.valueOf(files.size()),
                                "--duration-s",
                                "30");
        assertThat(tail.exitCode()).as(tail.err()).isZero();
        assertThat(tail.out()).contains(files);
        // ... and so does `report`, from the topic.
        Path page = dir.resolve("report.html");
        CliRunner.Run report =
                CliRunner.withEnv(Map.of())
                        .run(
                                "report",
                                "--bootstrap-servers",
                                kafka.secureBootstrapServers(),
                                "--kafka-config",
                                analyst.toString(),
                                "--topic",
                                plain.resultsTopic(),
                                "--duration-s",
                                "5",
                                "-o",
                                page.toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(Files.readString(page)).contains("Topic " + plain.resultsTopic());

        List<String> everything =
                new ArrayList<>(
                        List.of(
                                tail.out(),
                                tail.err(),
                                control.out(),
                                control.err(),
                                report.out(),
                                report.err(),
                                Files.readString(page)));
        for (String topic : List.of(plain.resultsTopic(), plain.dlqTopic()))
            try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
                for (ConsumerRecord<byte[], byte[]> r : reader.read(100, Duration.ofSeconds(2))) {
                    everything.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
                    r.headers().forEach(h -> everything.add(new String(h.value())));
                }
            }
        assertNoSecretIn(everything);
    }

    @Test
    void aWrongPasswordAndAMissingAclEachEndInOneClearLineWithinSeconds() throws Exception {
        KafkaSettings plain = KafkaFixture.freshTopics(kafka, 1);
        Path wrong = configFile("wrong", clientProperties("audioflow-job", "not-" + JOB_PASSWORD));
        Path nobody = configFile("nobody", clientProperties("nobody", NOBODY_PASSWORD));
        Path pipelineFile = Path.of("../config/pipeline.yaml");

        long started = System.nanoTime();
        CliRunner.Run badPassword = run(pipelineFile, plain, wrong);
        long badPasswordMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(badPassword.exitCode()).isEqualTo(1);
        assertThat(errorLines(badPassword))
                .singleElement()
                .asString()
                .contains("refused the client's credentials (SASL_SSL)", "invalid credentials");
        assertThat(badPasswordMs).isLessThan(20_000);
        System.out.printf("secured broker: a wrong password refused in %d ms%n", badPasswordMs);

        started = System.nanoTime();
        CliRunner.Run noAcl = run(pipelineFile, plain, nobody);
        long noAclMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(noAcl.exitCode()).isEqualTo(1);
        assertThat(errorLines(noAcl))
                .singleElement()
                .asString()
                .contains("does not authorize the job's principal", "READ on the input topic");
        assertThat(noAclMs).isLessThan(20_000);
        System.out.printf("secured broker: a principal without ACLs refused in %d ms%n", noAclMs);

        CliRunner.Run tail =
                CliRunner.withEnv(Map.of())
                        .run(
                                "tail",
                                "--bootstrap-servers",
                                kafka.secureBootstrapServers(),
                                "--kafka-config",
                                wrong.toString(),
                                "--topic",
                                plain.resultsTopic(),
                                "--duration-s",
                                "5");
        assertThat(tail.exitCode()).isEqualTo(1);
        assertThat(errorLines(tail)).singleElement().asString().contains("Authentication failed");

        assertNoSecretIn(
                List.of(
                        badPassword.out(),
                        badPassword.err(),
                        noAcl.out(),
                        noAcl.err(),
                        tail.out(),
                        tail.err()));
    }

    private static CliRunner.Run run(Path pipelineFile, KafkaSettings topics, Path config) {
        return CliRunner.withEnv(Map.of())
                .run(
                        "run",
                        "--pipeline",
                        pipelineFile.toString(),
                        "--bootstrap-servers",
                        kafka.secureBootstrapServers(),
                        "--kafka-config",
                        config.toString(),
                        "--group-id",
                        topics.groupId(),
                        "--control-topic",
                        "none");
    }

    private static List<String> errorLines(CliRunner.Run run) {
        return run.err().lines().filter(l -> l.startsWith("error:")).toList();
    }

    private static void assertNoSecretIn(List<String> outputs) {
        for (String secret :
                List.of(
                        JOB_PASSWORD,
                        ANALYST_PASSWORD,
                        NOBODY_PASSWORD,
                        OPERATOR_PASSWORD,
                        STORE_PASSWORD))
            assertThat(outputs).noneSatisfy(o -> assertThat(o).contains(secret));
    }
}
