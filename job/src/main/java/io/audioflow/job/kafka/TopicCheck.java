package io.audioflow.job.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the broker, before the job starts, whether the topics it reads and writes exist. Without
 * this, a missing input topic or a broker that cannot be reached made the job fail inside Flink,
 * restart, and fail again until its restarts ran out, with nothing that named the topic.
 */
public final class TopicCheck {

    /** What the broker said: a problem to print in one line, or none. */
    public sealed interface Outcome {}

    /** An outcome the job cannot start with, in one line that says what to do. */
    public sealed interface Failed extends Outcome {
        String line();
    }

    public record AllPresent() implements Outcome {}

    /**
     * The broker answered and refused: bad credentials (authentication) or a principal without the
     * ACLs the job needs (authorization). Retrying cannot help, so the job does not start.
     */
    public record Refused(String bootstrapServers, String securityProtocol, Throwable cause)
            implements Failed {
        public String line() {
            if (cause instanceof AuthenticationException)
                return "Kafka at "
                        + bootstrapServers
                        + " refused the client's credentials ("
                        + securityProtocol
                        + "): "
                        + cause.getMessage()
                        + "; check sasl.jaas.config and ssl.* in --kafka-config,"
                        + " --kafka-property or kafka.properties";
            return "Kafka at "
                    + bootstrapServers
                    + " does not authorize the job's principal: "
                    + cause.getMessage()
                    + "; it needs DESCRIBE and READ on the input topic, WRITE on the results and"
                    + " dead-letter topics, READ on its consumer group and WRITE on its"
                    + " transactional ids (see docs/security.md)";
        }
    }

    public record Unreachable(String bootstrapServers, String cause) implements Failed {
        public String line() {
            return "cannot reach Kafka at "
                    + bootstrapServers
                    + " ("
                    + cause
                    + "); check --bootstrap-servers and that the broker is up";
        }
    }

    /**
     * @param missing role (input, results, dead letters) by topic name, in the order asked
     */
    public record Missing(String bootstrapServers, Map<String, String> missing) implements Failed {
        public String line() {
            List<String> parts = new ArrayList<>();
            missing.forEach((topic, role) -> parts.add(role + " topic `" + topic + "`"));
            String create =
                    String.join(
                            " && ",
                            missing.keySet().stream()
                                    .map(
                                            t ->
                                                    "kafka-topics.sh --bootstrap-server "
                                                            + bootstrapServers
                                                            + " --create --topic "
                                                            + t)
                                    .toList());
            return String.join(", ", parts)
                    + (missing.size() == 1 ? " does" : " do")
                    + " not exist on "
                    + bootstrapServers
                    + "; create "
                    + (missing.size() == 1 ? "it" : "them")
                    + " first: "
                    + create;
        }
    }

    private TopicCheck() {}

    /**
     * @param read role by topic name of the topics the job reads: they must exist
     * @param written the same for the topics it writes: a broker that creates topics on the first
     *     write ({@code auto.create.topics.enable}) may lack them
     */
    public static Outcome check(
            KafkaConnection connection,
            Map<String, String> read,
            Map<String, String> written,
            Duration timeout) {
        String bootstrapServers = connection.bootstrapServers();
        Map<String, Object> config =
                connection.clientConfig(
                        Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "audioflow-topic-check"),
                        Map.of(
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                (int) timeout.toMillis(),
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                (int) timeout.toMillis()));
        long ms = timeout.toMillis();
        try (Admin admin = Admin.create(config)) {
            Map<String, String> all = new LinkedHashMap<>(read);
            all.putAll(written);
            var described = admin.describeTopics(all.keySet()).topicNameValues();
            Map<String, String> missing = new LinkedHashMap<>();
            for (var topic : all.entrySet()) {
                try {
                    described.get(topic.getKey()).get(ms, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (refused(e.getCause()))
                        return new Refused(
                                bootstrapServers, connection.securityProtocol(), e.getCause());
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException))
                        return new Unreachable(bootstrapServers, e.getCause().toString());
                    missing.put(topic.getKey(), topic.getValue());
                }
            }
            if (!read.keySet().stream().anyMatch(missing::containsKey)
                    && !missing.isEmpty()
                    && createsTopicsOnWrite(admin, ms)) missing.clear();
            return missing.isEmpty() ? new AllPresent() : new Missing(bootstrapServers, missing);
        } catch (TimeoutException e) {
            return new Unreachable(
                    bootstrapServers, "no answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (refused(e.getCause()))
                return new Refused(bootstrapServers, connection.securityProtocol(), e.getCause());
            return new Unreachable(bootstrapServers, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unreachable(bootstrapServers, "interrupted");
        }
    }

    private static boolean refused(Throwable cause) {
        return cause instanceof AuthenticationException || cause instanceof AuthorizationException;
    }

    /**
     * Whether the broker creates a written topic on the first write. A principal that may not read
     * the broker's configuration (a secured cluster's job principal usually may not) cannot know:
     * the topics are then reported missing, to be created first, as such clusters expect.
     */
    private static boolean createsTopicsOnWrite(Admin admin, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return brokerCreatesTopics(admin, timeoutMs);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) return false;
            throw e;
        }
    }

    private static boolean brokerCreatesTopics(Admin admin, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        var node = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).iterator();
        if (!node.hasNext()) return false;
        var broker = new ConfigResource(ConfigResource.Type.BROKER, node.next().idString());
        var entry =
                admin.describeConfigs(List.of(broker))
                        .all()
                        .get(timeoutMs, TimeUnit.MILLISECONDS)
                        .get(broker)
                        .get("auto.create.topics.enable");
        return entry != null && Boolean.parseBoolean(entry.value());
    }
}
