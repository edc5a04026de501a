package io.audioflow.job.kafka;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How every Kafka client of audioflow reaches the cluster: the bootstrap servers and the user's
 * client properties ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, timeouts…), the same
 * for the job's source and sinks and for every CLI command, as Kafka's own tools take them with
 * {@code --command-config}.
 *
 * <p>A client's configuration is built in three layers: what audioflow suggests (a client id,
 * batching), then the user's properties over it, then what the client's contract needs
 * (serializers, {@code isolation.level=read_committed}, idempotence), which the user cannot
 * override.
 *
 * @param properties Kafka client properties as strings; secrets among them are masked wherever the
 *     connection is printed
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties)
        implements Serializable {

    /** Keys whose values are secrets: never printed, logged or put in a result. */
    private static final Pattern SECRET =
            Pattern.compile(
                    "(?i).*(password|secret|jaas|token|credentials|key\\.pem|user\\.info).*");

    public static final String MASK = "***";

    public KafkaConnection {
        properties = Map.copyOf(properties);
    }

    public static KafkaConnection plain(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    public KafkaConnection withBootstrapServers(String servers) {
        return new KafkaConnection(servers, properties);
    }

    /**
     * The configuration for one client: {@code suggested}, the user's properties, {@code required}.
     */
    public Map<String, Object> clientConfig(
            Map<String, Object> suggested, Map<String, Object> required) {
        Map<String, Object> c = new LinkedHashMap<>(suggested);
        c.putAll(properties);
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.putAll(required);
        return c;
    }

    /** {@link #clientConfig} as {@link Properties}, for builders that take them. */
    public Properties clientProperties(
            Map<String, Object> suggested, Map<String, Object> required) {
        Properties p = new Properties();
        clientConfig(suggested, required).forEach((k, v) -> p.put(k, String.valueOf(v)));
        return p;
    }

    public static boolean isSecret(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** The properties as they may be shown: secrets replaced by {@value #MASK}. */
    public Map<String, String> masked() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((k, v) -> shown.put(k, isSecret(k) ? MASK : v));
        return shown;
    }

    /** The security protocol the clients use, for messages. */
    public String securityProtocol() {
        return properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + bootstrapServers + ", " + masked() + "]";
    }
}
