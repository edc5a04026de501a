package io.audioflow.job.kafka;

import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.audioflow.job.cli.CliRunner;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
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
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * audioflow against a secured Kafka: a broker listener that requires SASL_SSL with SCRAM-SHA-512,
 * certificates made for this run, and ACLs enforced. The job's principal may read the input topic
 * and its group, write the results and dead letters, and use its transactional ids, nothing more;
 * it still delivers every result exactly once. A wrong password and a missing ACL each end in one
 * line, within seconds; no password ever shows in what the commands print or the job writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureKafkaITCase {

    private static final String STORE_PASSWORD = "store-" + UUID.randomUUID();
    private static final String JOB_PASSWORD = "job-" + UUID.randomUUID();
    private static final String ANALYST_PASSWORD = "analyst-" + UUID.randomUUID();
    private static final String NOBODY_PASSWORD = "nobody-" + UUID.randomUUID();
    private static final String OPERATOR_PASSWORD = "operator-" + UUID.randomUUID();
    private static final String DEMO_PASSWORD = "demo-" + UUID.randomUUID();
    private static final Path TEST_LOG = Path.of("target/test-logs/tests.log");
    private static long logStart;

    private static Path dir;
    private static Path truststore;
    private static EmbeddedKafka kafka;
    private static ValidatedPipeline pipeline;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        // Kafka's clients and broker log their configuration at INFO: the log check needs it.
        logStart = Files.exists(TEST_LOG) ? Files.size(TEST_LOG) : 0;
        Configurator.setLevel("org.apache.kafka", Level.INFO);
        Configurator.setLevel("kafka", Level.INFO);
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
        Configurator.setLevel("org.apache.kafka", Level.WARN);
        Configurator.setLevel("kafka", Level.WARN);
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

    /**
     * The demo against the secured broker, with the password kept out of every file audioflow
     * reads: the pipeline's {@code kafka.properties} takes the JAAS line from an environment
     * variable, and the {@code --kafka-config} file takes the truststore password from a secrets
     * file through Kafka's own file config provider. The demo analyses only what it published,
     * without the job's consumer group; {@code validate} and {@code visualize} of that pipeline
     * show no secret either.
     */
    @Test
    void theDemoRunsThroughTheSecuredBrokerWithSecretsFromTheEnvironmentAndAConfigProvider()
            throws Exception {
        KafkaSettings plain = KafkaFixture.freshTopics(kafka, 1);
        String demo = "demo-user";
        try (Admin admin = kafka.admin()) {
            admin.alterUserScramCredentials(List.of(scram(demo, DEMO_PASSWORD)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.createAcls(
                            List.of(
                                    allow(TOPIC, plain.inputTopic(), LITERAL, demo, WRITE),
                                    allow(TOPIC, plain.inputTopic(), LITERAL, demo, READ),
                                    allow(TOPIC, plain.resultsTopic(), LITERAL, demo, WRITE),
                                    allow(TOPIC, plain.resultsTopic(), LITERAL, demo, READ),
                                    allow(TOPIC, plain.dlqTopic(), LITERAL, demo, WRITE),
                                    allow(TOPIC, plain.dlqTopic(), LITERAL, demo, READ),
                                    allow(
                                            ResourceType.TRANSACTIONAL_ID,
                                            plain.transactionalIdPrefix(),
                                            PatternType.PREFIXED,
                                            demo,
                                            WRITE)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Path secrets =
                Files.writeString(
                        dir.resolve("secrets.properties"), "truststore.password=" + STORE_PASSWORD);
        Map<String, String> client = new java.util.TreeMap<>(clientProperties(demo, "unused"));
        client.remove("sasl.jaas.config"); // from the pipeline, which takes it from $DEMO_JAAS
        client.put("config.providers", "file");
        client.put(
                "config.providers.file.class",
                "org.apache.kafka.common.config.provider.FileConfigProvider");
        client.put("ssl.truststore.password", "${file:" + secrets + ":truststore.password}");
        Path config = configFile("demo", client);
        // Substituted into the parsed value, not the file's text: no YAML quoting needed.
        String jaas = clientProperties(demo, DEMO_PASSWORD).get("sasl.jaas.config");
        Path pipelineFile =
                Files.writeString(
                        dir.resolve("demo-pipeline.yaml"),
                        Files.readString(Path.of("../config/pipeline.yaml"))
                                .replaceFirst(
                                        "(?ms)^kafka:.*?(?=^\\S)",
                                        java.util.regex.Matcher.quoteReplacement(
                                                """
                                        kafka:
                                          topics:
                                            input: %s
                                            results: %s
                                            dlq: %s
                                            control: none
                                          transactional_id_prefix: %s
                                          properties:
                                            sasl.jaas.config: ${DEMO_JAAS}

                                        """
                                                        .formatted(
                                                                plain.inputTopic(),
                                                                plain.resultsTopic(),
                                                                plain.dlqTopic(),
                                                                plain.transactionalIdPrefix()))));
        CliRunner cli = CliRunner.withEnv(Map.of("DEMO_JAAS", jaas));
        List<String> files = List.of("sine-1k-16k-mono.wav", "quiet-noise-16k-mono.wav");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "demo",
                                "--pipeline",
                                pipelineFile.toString(),
                                "--bootstrap-servers",
                                kafka.secureBootstrapServers(),
                                "--kafka-config",
                                config.toString(),
                                "--parallelism",
                                "1",
                                "--format",
                                "jsonl"));
        for (String f : files)
            args.addAll(List.of("--audio", KafkaFixture.AUDIO.resolve(f).toString()));
        // Something older in the topic, which the demo must leave alone.
        try (ChunkPublisher publisher =
                new ChunkPublisher(kafka.bootstrapServers(), plain.inputTopic(), 500, Map.of())) {
            publisher.publish(
                    KafkaFixture.AUDIO.resolve(files.get(0)),
                    "published-before",
                    "pcm_s16le",
                    0,
                    0);
        }
        CliRunner.Run run = cli.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> shown =
                run.out()
                        .lines()
                        .filter(l -> l.startsWith("{"))
                        .map(l -> l.replaceAll(".*\"recording_id\":\"([^\"]+)\".*", "$1"))
                        .toList();
        assertThat(shown).containsExactlyInAnyOrder(files.get(0), files.get(1), "demo-corrupt.wav");
        assertThat(run.err()).contains("3 malformed messages", "SASL_SSL");

        // The demo committed nothing for the job's group: a job started now would begin at the
        // start of the topic, as before the demo.
        try (Admin admin = kafka.admin()) {
            assertThat(
                            admin.listConsumerGroupOffsets(plain.groupId())
                                    .partitionsToOffsetAndMetadata()
                                    .get(30, TimeUnit.SECONDS))
                    .isEmpty();
        }

        CliRunner.Run validate = cli.run("validate", pipelineFile.toString());
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        CliRunner.Run visualize = cli.run("visualize", pipelineFile.toString());
        assertThat(visualize.exitCode()).as(visualize.err()).isZero();
        assertNoSecretIn(
                List.of(
                        run.out(),
                        run.err(),
                        validate.out(),
                        validate.err(),
                        visualize.out(),
                        visualize.err()));
    }

    /**
     * Runs last, after every command and job above has logged at INFO (Kafka clients print their
     * whole configuration then, the broker its own): not one password in the log.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void noPasswordReachesTheLog() throws IOException {
        String log =
                Files.readString(TEST_LOG)
                        .substring((int) Math.min(logStart, Files.size(TEST_LOG)));
        assertThat(log).contains("sasl.jaas.config = [hidden]");
        assertNoSecretIn(List.of(log));
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
                        DEMO_PASSWORD,
                        STORE_PASSWORD))
            assertThat(outputs).noneSatisfy(o -> assertThat(o).contains(secret));
    }
}
