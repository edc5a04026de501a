package io.audioflow.pipeline.definition;

import io.audioflow.pipeline.definition.PipelineDefinition.CheckpointDefinition;
import io.audioflow.pipeline.definition.PipelineDefinition.KafkaDefinition;
import io.audioflow.pipeline.definition.PipelineDefinition.LimitsDefinition;
import io.audioflow.pipeline.definition.PipelineDefinition.RestartDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Pipeline YAML to {@link PipelineDefinition}: the structural half of validation (keys, types,
 * required fields). The semantic half (plugins, graph, formats) is {@link PipelineValidator}.
 */
public final class PipelineParser {

    static final Set<String> TOP_KEYS =
            keys(
                    "name",
                    "version",
                    "description",
                    "plugins",
                    "kafka",
                    "checkpointing",
                    "limits",
                    "restarts",
                    "stages");
    static final Set<String> STAGE_KEYS =
            keys(
                    "name",
                    "processor",
                    "config",
                    "dependencies",
                    "parallelism",
                    "error_handling",
                    "description",
                    "uid",
                    "shadow");
    static final Set<String> SHADOW_KEYS = keys("processor", "config");
    static final Set<String> ERROR_KEYS = keys("mode", "attempts", "backoff_ms", "fallback");
    static final Set<String> KAFKA_KEYS =
            keys("bootstrap_servers", "topics", "transactional_id_prefix", "properties");
    static final Set<String> TOPIC_KEYS =
            keys("input", "results", "dlq", "control", "control_results", "monitor");
    static final Set<String> CHECKPOINT_KEYS =
            keys("interval_ms", "mode", "storage", "state_backend");
    static final Set<String> LIMIT_KEYS =
            keys(
                    "max_open_recordings",
                    "max_recording_seconds",
                    "max_recording_bytes",
                    "max_reorder_buffer_bytes");
    static final Set<String> RESTART_KEYS =
            keys("attempts", "initial_backoff_ms", "max_backoff_ms", "reset_after_ms");
    static final Set<String> PLUGIN_KEYS = keys("paths", "allowed_sha256");

    /** Keys in the order the errors list them; immutable, so no caller can widen what parses. */
    private static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    private final EnvSubstitution env;

    public PipelineParser(EnvSubstitution env) {
        this.env = env;
    }

    public Optional<PipelineDefinition> parse(byte[] yaml, String file, Problems problems) {
        Optional<Node> root = YamlLoader.compose(yaml, file, problems);
        if (root.isEmpty()) return Optional.empty();
        NodeReader r = new NodeReader(file, problems, env);
        Map<String, NodeTuple> top = r.mapping(root.get(), "the pipeline", TOP_KEYS);
        String name =
                requiredString(r, top, "name", "the pipeline", root.get(), "name: my-pipeline");
        String version =
                requiredString(r, top, "version", "the pipeline", root.get(), "version: 1.0.0");
        List<String> pluginPaths = new ArrayList<>();
        List<String> allowedSha256 = new ArrayList<>();
        if (top.containsKey("plugins")) {
            Map<String, NodeTuple> plugins =
                    r.mapping(top.get("plugins").getValueNode(), "`plugins`", PLUGIN_KEYS);
            if (plugins.containsKey("paths")) {
                for (Node p : r.sequence(plugins.get("paths").getValueNode(), "`plugins.paths`")) {
                    String path = r.string(p, "a plugin path");
                    if (path != null) pluginPaths.add(path);
                }
            }
            if (plugins.containsKey("allowed_sha256")) {
                for (Node d :
                        r.sequence(
                                plugins.get("allowed_sha256").getValueNode(),
                                "`plugins.allowed_sha256`")) {
                    String digest = r.text(d, "a SHA-256 digest");
                    if (digest == null) continue;
                    if (!digest.matches("(?i)[0-9a-f]{64}"))
                        problems.error(
                                r.at(d),
                                "`" + digest + "` is not a SHA-256 digest",
                                PipelineLoader.DIGEST_FIX);
                    else allowedSha256.add(digest.toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        KafkaDefinition kafka =
                top.containsKey("kafka")
                        ? kafka(r, top.get("kafka").getValueNode())
                        : KafkaDefinition.defaults();
        CheckpointDefinition checkpointing =
                top.containsKey("checkpointing")
                        ? checkpointing(r, top.get("checkpointing").getValueNode(), problems)
                        : CheckpointDefinition.defaults();
        List<StageDefinition> stages = new ArrayList<>();
        if (!top.containsKey("stages")) {
            problems.error(
                    r.at(root.get()),
                    "the pipeline has no `stages`",
                    "add a `stages:` list, starting with a decode stage");
        } else {
            List<Node> items = r.sequence(top.get("stages").getValueNode(), "`stages`");
            if (items.isEmpty()
                    && top.get("stages").getValueNode()
                            instanceof org.yaml.snakeyaml.nodes.SequenceNode) {
                problems.error(
                        r.at(top.get("stages").getValueNode()),
                        "`stages` is empty",
                        "add at least a decode stage");
            }
            for (int i = 0; i < items.size(); i++)
                stage(r, items.get(i), i, problems).ifPresent(stages::add);
        }
        return Optional.of(
                new PipelineDefinition(
                        name,
                        version,
                        stages,
                        kafka,
                        checkpointing,
                        pluginPaths,
                        allowedSha256,
                        file,
                        top.containsKey("limits")
                                ? limits(r, top.get("limits").getValueNode(), problems)
                                : LimitsDefinition.defaults(),
                        top.containsKey("restarts")
                                ? restarts(r, top.get("restarts").getValueNode(), problems)
                                : RestartDefinition.defaults()));
    }

    private static LimitsDefinition limits(NodeReader r, Node node, Problems problems) {
        Map<String, NodeTuple> m = r.mapping(node, "`limits`", LIMIT_KEYS);
        LimitsDefinition d = LimitsDefinition.defaults();
        return new LimitsDefinition(
                atLeast(1, r, m, "limits", "max_open_recordings", d.maxOpenRecordings(), problems),
                atLeast(
                        1,
                        r,
                        m,
                        "limits",
                        "max_recording_seconds",
                        d.maxRecordingSeconds(),
                        problems),
                atLeast(1, r, m, "limits", "max_recording_bytes", d.maxRecordingBytes(), problems),
                atLeast(
                        1,
                        r,
                        m,
                        "limits",
                        "max_reorder_buffer_bytes",
                        d.maxReorderBufferBytes(),
                        problems));
    }

    private static RestartDefinition restarts(NodeReader r, Node node, Problems problems) {
        Map<String, NodeTuple> m = r.mapping(node, "`restarts`", RESTART_KEYS);
        RestartDefinition d = RestartDefinition.defaults();
        return new RestartDefinition(
                (int)
                        Math.min(
                                Integer.MAX_VALUE,
                                atLeast(0, r, m, "restarts", "attempts", d.attempts(), problems)),
                atLeast(1, r, m, "restarts", "initial_backoff_ms", d.initialBackoffMs(), problems),
                atLeast(1, r, m, "restarts", "max_backoff_ms", d.maxBackoffMs(), problems),
                atLeast(1, r, m, "restarts", "reset_after_ms", d.resetAfterMs(), problems));
    }

    /**
     * {@code <section>.<key>}: a whole number from {@code min}, or the default when absent or
     * wrong.
     */
    private static long atLeast(
            long min,
            NodeReader r,
            Map<String, NodeTuple> m,
            String section,
            String key,
            long fallback,
            Problems problems) {
        if (!m.containsKey(key)) return fallback;
        Node n = m.get(key).getValueNode();
        Long value = r.integer(n, "`" + section + "." + key + "`");
        if (value == null) return fallback;
        if (value < min) {
            problems.error(
                    r.at(n),
                    "`" + section + "." + key + "` must be " + min + " or more, got " + value,
                    "write " + key + ": " + fallback + " (the default), or leave it out");
            return fallback;
        }
        return value;
    }

    /** The stage's {@code name:} as written, read before its other keys are checked. */
    private static Optional<String> declaredName(Node node) {
        if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode mapping))
            return Optional.empty();
        for (NodeTuple t : mapping.getValue())
            if (t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k
                    && k.getValue().equals("name")
                    && t.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode v
                    && !v.getValue().isBlank()) return Optional.of(v.getValue());
        return Optional.empty();
    }

    private Optional<StageDefinition> stage(NodeReader r, Node node, int index, Problems problems) {
        // Messages name the stage as its author does; the number only when it has no name.
        String label =
                declaredName(node).map(n -> "stage `" + n + "`").orElse("stage #" + (index + 1));
        Map<String, NodeTuple> m = r.mapping(node, label, STAGE_KEYS);
        if (m.isEmpty() && !(node instanceof org.yaml.snakeyaml.nodes.MappingNode))
            return Optional.empty();
        String name = requiredString(r, m, "name", label, node, "name: my-stage");
        String where = name == null ? "stage #" + (index + 1) : "stage `" + name + "`";
        if (name != null && !name.matches("[a-z][a-z0-9_-]*")) {
            problems.error(
                    r.at(m.get("name").getValueNode()),
                    "stage name `" + name + "` must be lower case letters, digits, _ or -",
                    "e.g. name: spectral_16k");
        }
        String processorText =
                requiredString(
                        r,
                        m,
                        "processor",
                        where,
                        node,
                        "processor: temporal (see `audioflow plugins`)");
        ProcessorRef ref = processorText == null ? null : ProcessorRef.parse(processorText);
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, SourcePosition> configPositions = new LinkedHashMap<>();
        SourcePosition configAt = null;
        if (m.containsKey("config")) {
            Node configNode = m.get("config").getValueNode();
            configAt = r.at(configNode);
            if (!(configNode instanceof org.yaml.snakeyaml.nodes.ScalarNode s
                    && s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL))) {
                for (Map.Entry<String, NodeTuple> e :
                        r.mapping(configNode, "the config of " + where, null).entrySet()) {
                    configPositions.put(e.getKey(), r.at(e.getValue().getKeyNode()));
                    config.put(
                            e.getKey(),
                            r.value(
                                    e.getValue().getValueNode(),
                                    "config key `" + e.getKey() + "` of " + where));
                }
            }
        }
        List<Located<String>> dependencies = new ArrayList<>();
        if (m.containsKey("dependencies")) {
            Node deps = m.get("dependencies").getValueNode();
            List<Node> items =
                    deps instanceof org.yaml.snakeyaml.nodes.ScalarNode
                            ? List.of(deps)
                            : r.sequence(deps, "`dependencies` of " + where);
            for (Node d : items) {
                String dep = r.string(d, "a dependency of " + where);
                if (dep != null) dependencies.add(new Located<>(dep, r.at(d)));
            }
        }
        Integer parallelism = null;
        if (m.containsKey("parallelism")) {
            Node p = m.get("parallelism").getValueNode();
            Long value = r.integer(p, "`parallelism` of " + where);
            if (value != null && (value < 1 || value > 32768)) {
                problems.error(
                        r.at(p),
                        "`parallelism` of " + where + " must be between 1 and 32768, got " + value,
                        "write parallelism: 1 or more, or leave it out to use the job's default");
            } else if (value != null) {
                parallelism = value.intValue();
            }
        }
        ErrorHandlingDefinition errorHandling =
                m.containsKey("error_handling")
                        ? errorHandling(r, m.get("error_handling").getValueNode(), where, problems)
                        : ErrorHandlingDefinition.defaultAt(r.at(node));
        return Optional.of(
                new StageDefinition(
                        name,
                        ref == null ? null : ref.name(),
                        ref == null ? "*" : ref.constraint(),
                        config,
                        dependencies,
                        parallelism,
                        errorHandling,
                        r.at(node),
                        m.containsKey("processor")
                                ? r.at(m.get("processor").getValueNode())
                                : r.at(node),
                        configAt,
                        configPositions,
                        uid(r, m, where, problems),
                        m.containsKey("shadow")
                                ? shadow(r, m.get("shadow").getValueNode(), where)
                                : null));
    }

    /**
     * {@code shadow: processor[@version]}, or a mapping with {@code processor} and {@code config}.
     */
    private static ShadowDefinition shadow(NodeReader r, Node node, String where) {
        String text;
        Map<String, Object> config = null;
        Map<String, SourcePosition> positions = new LinkedHashMap<>();
        SourcePosition at = r.at(node);
        if (node instanceof org.yaml.snakeyaml.nodes.MappingNode) {
            Map<String, NodeTuple> m = r.mapping(node, "`shadow` of " + where, SHADOW_KEYS);
            if (!m.containsKey("processor")) {
                r.problemsMissing(
                        node,
                        "`shadow` of " + where + " has no `processor`",
                        "write processor: <processor>[@version] under it");
                return null;
            }
            at = r.at(m.get("processor").getValueNode());
            text = r.string(m.get("processor").getValueNode(), "`shadow.processor` of " + where);
            if (m.containsKey("config")) {
                config = new LinkedHashMap<>();
                for (Map.Entry<String, NodeTuple> e :
                        r.mapping(
                                        m.get("config").getValueNode(),
                                        "the shadow config of " + where,
                                        null)
                                .entrySet()) {
                    positions.put(e.getKey(), r.at(e.getValue().getKeyNode()));
                    config.put(
                            e.getKey(),
                            r.value(
                                    e.getValue().getValueNode(),
                                    "shadow config key `" + e.getKey() + "` of " + where));
                }
            }
        } else {
            text = r.string(node, "`shadow` of " + where);
        }
        if (text == null) return null;
        ProcessorRef ref = ProcessorRef.parse(text);
        return new ShadowDefinition(ref.name(), ref.constraint(), config, at, positions);
    }

    private static Located<String> uid(
            NodeReader r, Map<String, NodeTuple> stage, String where, Problems problems) {
        if (!stage.containsKey("uid")) return null;
        Node node = stage.get("uid").getValueNode();
        String uid = r.string(node, "`uid` of " + where);
        if (uid == null) return null;
        if (!uid.matches("[a-z][a-z0-9_-]*")) {
            problems.error(
                    r.at(node),
                    "`uid` of " + where + " is `" + uid + "`; a uid is written like a stage name",
                    "lower case letters, digits, _ or -, e.g. the stage's former name: uid: vad");
            return null;
        }
        return new Located<>(uid, r.at(node));
    }

    private ErrorHandlingDefinition errorHandling(
            NodeReader r, Node node, String where, Problems problems) {
        SourcePosition at = r.at(node);
        if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
            String mode = r.string(node, "`error_handling` of " + where);
            checkMode(mode, at, where, problems);
            return new ErrorHandlingDefinition(
                    mode, mode != null && mode.equals("retry") ? 3 : 1, 100, null, at);
        }
        Map<String, NodeTuple> m = r.mapping(node, "`error_handling` of " + where, ERROR_KEYS);
        String mode =
                m.containsKey("mode")
                        ? r.string(m.get("mode").getValueNode(), "`error_handling.mode`")
                        : null;
        if (mode == null) {
            problems.error(
                    at,
                    "`error_handling` of " + where + " needs a `mode`",
                    "mode: fail | skip | retry | fallback");
        } else {
            checkMode(mode, r.at(m.get("mode").getValueNode()), where, problems);
        }
        int attempts = 1;
        if (m.containsKey("attempts")) {
            Long a =
                    r.integer(
                            m.get("attempts").getValueNode(),
                            "`error_handling.attempts` of " + where);
            if (a != null && (a < 1 || a > 100)) {
                problems.error(
                        r.at(m.get("attempts").getValueNode()),
                        "`attempts` must be between 1 and 100, got " + a,
                        "e.g. attempts: 3");
            } else if (a != null) {
                attempts = a.intValue();
            }
        } else if ("retry".equals(mode)) {
            attempts = 3;
        }
        long backoff = 100;
        if (m.containsKey("backoff_ms")) {
            Long b =
                    r.integer(
                            m.get("backoff_ms").getValueNode(),
                            "`error_handling.backoff_ms` of " + where);
            if (b != null && (b < 0 || b > 60_000)) {
                problems.error(
                        r.at(m.get("backoff_ms").getValueNode()),
                        "`backoff_ms` must be between 0 and 60000, got " + b,
                        "e.g. backoff_ms: 100 (doubled on each retry)");
            } else if (b != null) {
                backoff = b;
            }
        }
        String fallback =
                m.containsKey("fallback")
                        ? r.string(m.get("fallback").getValueNode(), "`error_handling.fallback`")
                        : null;
        if ("fallback".equals(mode) && fallback == null) {
            problems.error(
                    at,
                    "`error_handling` of "
                            + where
                            + " has mode fallback but no `fallback` processor",
                    "add fallback: <processor>[@version]");
        }
        return new ErrorHandlingDefinition(
                mode == null ? "fail" : mode,
                attempts,
                backoff,
                fallback,
                at,
                m.containsKey("fallback") ? r.at(m.get("fallback").getValueNode()) : at);
    }

    private static void checkMode(String mode, SourcePosition at, String where, Problems problems) {
        if (mode != null && !List.of("fail", "skip", "retry", "fallback").contains(mode)) {
            problems.error(
                    at,
                    "unknown error_handling mode `" + mode + "` in " + where,
                    Suggestions.allowedKeys(mode, List.of("fail", "skip", "retry", "fallback")));
        }
    }

    private KafkaDefinition kafka(NodeReader r, Node node) {
        KafkaDefinition d = KafkaDefinition.defaults();
        Map<String, NodeTuple> m = r.mapping(node, "`kafka`", KAFKA_KEYS);
        String servers =
                m.containsKey("bootstrap_servers")
                        ? r.string(
                                m.get("bootstrap_servers").getValueNode(),
                                "`kafka.bootstrap_servers`")
                        : d.bootstrapServers();
        String prefix =
                m.containsKey("transactional_id_prefix")
                        ? r.string(
                                m.get("transactional_id_prefix").getValueNode(),
                                "`kafka.transactional_id_prefix`")
                        : d.transactionalIdPrefix();
        Map<String, String> topics = new LinkedHashMap<>();
        if (m.containsKey("topics")) {
            for (Map.Entry<String, NodeTuple> e :
                    r.mapping(m.get("topics").getValueNode(), "`kafka.topics`", TOPIC_KEYS)
                            .entrySet()) {
                topics.put(
                        e.getKey(),
                        r.string(e.getValue().getValueNode(), "topic `" + e.getKey() + "`"));
            }
        }
        return new KafkaDefinition(
                servers,
                topics.getOrDefault("input", d.inputTopic()),
                topics.getOrDefault("results", d.resultsTopic()),
                topics.getOrDefault("dlq", d.dlqTopic()),
                offWhenNone(topics.getOrDefault("control", d.controlTopic())),
                prefix,
                topics.getOrDefault("monitor", d.monitorTopic()),
                topics.getOrDefault("control_results", d.controlResultsTopic()),
                m.containsKey("properties")
                        ? clientProperties(r, m.get("properties").getValueNode())
                        : d.properties());
    }

    /** {@code kafka.properties}: Kafka client settings, each a single value, kept as text. */
    private static Map<String, String> clientProperties(NodeReader r, Node node) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e :
                r.mapping(node, "`kafka.properties`", null).entrySet()) {
            String value =
                    r.text(e.getValue().getValueNode(), "`kafka.properties." + e.getKey() + "`");
            if (value != null) properties.put(e.getKey(), value);
        }
        return properties;
    }

    /** {@code none} (or an empty name) turns an optional topic off. */
    public static String offWhenNone(String topic) {
        return topic == null || topic.isBlank() || topic.equals("none") ? null : topic;
    }

    private CheckpointDefinition checkpointing(NodeReader r, Node node, Problems problems) {
        CheckpointDefinition d = CheckpointDefinition.defaults();
        Map<String, NodeTuple> m = r.mapping(node, "`checkpointing`", CHECKPOINT_KEYS);
        long interval = d.intervalMs();
        if (m.containsKey("interval_ms")) {
            Long v = r.integer(m.get("interval_ms").getValueNode(), "`checkpointing.interval_ms`");
            if (v != null && v < 100) {
                problems.error(
                        r.at(m.get("interval_ms").getValueNode()),
                        "`checkpointing.interval_ms` must be at least 100, got " + v,
                        "e.g. interval_ms: 10000");
            } else if (v != null) {
                interval = v;
            }
        }
        String mode =
                choice(r, m, "mode", d.mode(), List.of("exactly_once", "at_least_once"), problems);
        String backend =
                choice(
                        r,
                        m,
                        "state_backend",
                        d.stateBackend(),
                        List.of("hashmap", "rocksdb"),
                        problems);
        String storage =
                m.containsKey("storage")
                        ? r.string(m.get("storage").getValueNode(), "`checkpointing.storage`")
                        : d.storage();
        return new CheckpointDefinition(interval, mode, storage, backend);
    }

    private static String choice(
            NodeReader r,
            Map<String, NodeTuple> m,
            String key,
            String dflt,
            List<String> allowed,
            Problems problems) {
        if (!m.containsKey(key)) return dflt;
        Node node = m.get(key).getValueNode();
        String value = r.string(node, "`checkpointing." + key + "`");
        if (value != null && !allowed.contains(value)) {
            problems.error(
                    r.at(node),
                    "`checkpointing."
                            + key
                            + "` must be one of "
                            + allowed
                            + ", got `"
                            + value
                            + "`",
                    Suggestions.allowedKeys(value, allowed));
            return dflt;
        }
        return value == null ? dflt : value;
    }

    private static String requiredString(
            NodeReader r,
            Map<String, NodeTuple> m,
            String key,
            String where,
            Node owner,
            String example) {
        if (!m.containsKey(key)) {
            if (owner instanceof org.yaml.snakeyaml.nodes.MappingNode) {
                r.problemsMissing(
                        owner, "`" + key + "` is required in " + where, "add `" + example + "`");
            }
            return null;
        }
        String value = r.string(m.get(key).getValueNode(), "`" + key + "` of " + where);
        if (value == null || value.isBlank()) {
            r.problemsMissing(
                    m.get(key).getValueNode(),
                    "`" + key + "` of " + where + " is empty",
                    "write `" + example + "`");
            return null;
        }
        return value;
    }
}
