package io.audioflow.job.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka 4.2 broker in this JVM, in KRaft mode (one node, broker and controller), on free
 * ports of 127.0.0.1: what {@code demo} and the ITCases run against. Sized for one machine:
 * replication factors and the transaction log's min ISR are 1, so transactions (exactly-once sinks)
 * work.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path logDir;
    private final boolean ownsLogDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String secureBootstrapServers;

    /**
     * A second listener, SASL_SSL with SCRAM-SHA-512 and the broker's ACLs enforced, as a secured
     * cluster has it. The PLAINTEXT listener stays for setting it up: its (anonymous) principal is
     * the super user that creates users, topics and ACLs.
     *
     * @param keystore the broker's key and certificate (PKCS12), for 127.0.0.1
     */
    public record SaslSsl(Path keystore, String password) {}

    private EmbeddedKafka(
            Path logDir,
            boolean ownsLogDir,
            KafkaRaftServer server,
            String bootstrapServers,
            String secureBootstrapServers) {
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.secureBootstrapServers = secureBootstrapServers;
    }

    /** A broker with a SASL_SSL listener too, at {@link #secureBootstrapServers()}. */
    public static EmbeddedKafka start(SaslSsl secured) throws Exception {
        return start(Files.createTempDirectory("audioflow-kafka-"), true, Map.of(), secured);
    }

    /** Starts a broker whose data lives in a new temporary folder, deleted on close. */
    public static EmbeddedKafka start() throws Exception {
        return start(Files.createTempDirectory("audioflow-kafka-"), true);
    }

    public static EmbeddedKafka start(Path logDir, boolean deleteOnClose) throws Exception {
        return start(logDir, deleteOnClose, Map.of());
    }

    /**
     * A broker with some settings of its own, for example {@code message.max.bytes} as a producer's
     * cluster has it; {@code overrides} win over the defaults here.
     */
    public static EmbeddedKafka start(Map<String, String> overrides) throws Exception {
        return start(Files.createTempDirectory("audioflow-kafka-"), true, overrides, null);
    }

    private static EmbeddedKafka start(
            Path logDir, boolean deleteOnClose, Map<String, String> overrides) throws Exception {
        return start(logDir, deleteOnClose, overrides, null);
    }

    private static EmbeddedKafka start(
            Path logDir, boolean deleteOnClose, Map<String, String> overrides, SaslSsl secured)
            throws Exception {
        int brokerPort = freePort();
        int controllerPort = freePort();
        int securePort = secured == null ? -1 : freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Small machines: few threads, small buffers.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        if (secured != null) secure(p, secured, securePort);
        p.putAll(overrides);
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setHasDynamicQuorum(false)
                .run();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka =
                new EmbeddedKafka(
                        logDir,
                        deleteOnClose,
                        server,
                        "127.0.0.1:" + brokerPort,
                        secured == null ? null : "127.0.0.1:" + securePort);
        kafka.awaitReady();
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SASL_SSL listener's address; null for a broker started without one. */
    public String secureBootstrapServers() {
        return secureBootstrapServers;
    }

    private static void secure(Properties p, SaslSsl secured, int port) {
        String plain = p.getProperty("listeners");
        p.put("listeners", plain + ",SASL_SSL://127.0.0.1:" + port);
        p.put(
                "advertised.listeners",
                p.getProperty("advertised.listeners") + ",SASL_SSL://127.0.0.1:" + port);
        p.put(
                "listener.security.protocol.map",
                p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", secured.keystore().toString());
        p.put("ssl.keystore.password", secured.password());
        p.put("ssl.key.password", secured.password());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        // The PLAINTEXT listeners (setup, controller) authenticate no one: ANONYMOUS is the admin.
        p.put("super.users", "User:ANONYMOUS");
    }

    /** Creates topics (replication factor 1), skipping ones that exist. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
        try (Admin admin = admin()) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> topics =
                    partitionsByTopic.entrySet().stream()
                            .filter(e -> !existing.contains(e.getKey()))
                            .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                            .toList();
            admin.createTopics(topics).all().get();
            awaitLeaders(admin, partitionsByTopic.keySet());
        }
    }

    /**
     * Waits until every partition of {@code names} answers on its leader. A producer that writes to
     * a partition the broker has not opened yet gets NOT_LEADER_OR_FOLLOWER, and an idempotent
     * producer can then fall into OUT_OF_ORDER_SEQUENCE_NUMBER retries that last until its delivery
     * timeout (seen here with Kafka 4.2 right after topic creation).
     */
    public static void awaitLeaders(Admin admin, Collection<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (var topic : admin.describeTopics(names).allTopicNames().get().values()) {
                    for (var partition : topic.partitions())
                        latest.put(
                                new TopicPartition(topic.name(), partition.partition()),
                                OffsetSpec.latest());
                }
                // Answered by each partition's leader log, not by the metadata cache.
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(100);
            }
        }
    }

    public Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        30_000));
    }

    private void awaitReady() throws InterruptedException, ExecutionException {
        // The broker answers metadata requests once it has caught up with the controller.
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (ownsLogDir) deleteRecursively(logDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
