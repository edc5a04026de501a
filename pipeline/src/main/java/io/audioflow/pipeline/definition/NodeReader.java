package io.audioflow.pipeline.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads from composed YAML nodes, reporting every mistake to {@link Problems} with its
 * position instead of throwing, so one pass finds all problems.
 */
public final class NodeReader {

    private static final Pattern INT = Pattern.compile("[-+]?[0-9][0-9_]*");
    private static final Pattern FLOAT =
            Pattern.compile("[-+]?([0-9][0-9_]*)?\\.?[0-9]+([eE][-+]?[0-9]+)?");
    private static final Set<Tag> PLAIN_TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ);

    private final String file;
    private final Problems problems;
    private final EnvSubstitution env;

    public NodeReader(String file, Problems problems, EnvSubstitution env) {
        this.file = file;
        this.problems = problems;
        this.env = env;
    }

    public void problemsMissing(Node node, String message, String fix) {
        problems.error(at(node), message, fix);
    }

    public SourcePosition at(Node node) {
        return new SourcePosition(
                file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    /**
     * The entries of a mapping, keyed by name. Keys not in {@code allowed} are reported with the
     * allowed list and the closest match.
     */
    public Map<String, NodeTuple> mapping(Node node, String where, Set<String> allowed) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problems.error(
                    at(node),
                    where + " must be a mapping (key: value lines)",
                    "indent its keys under it");
            return entries;
        }
        checkTag(node);
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (key == null) {
                problems.error(
                        at(tuple.getKeyNode()),
                        "keys in " + where + " must be plain names",
                        "write `name: value`");
                continue;
            }
            if (entries.containsKey(key)) {
                problems.error(
                        at(tuple.getKeyNode()),
                        "key `" + key + "` appears twice in " + where,
                        "keep one of them");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                problems.error(
                        at(tuple.getKeyNode()),
                        "unknown key `" + key + "` in " + where,
                        Suggestions.allowedKeys(key, allowed));
                continue;
            }
            entries.put(key, tuple);
        }
        return entries;
    }

    public List<Node> sequence(Node node, String where) {
        if (node instanceof SequenceNode seq) {
            checkTag(node);
            return seq.getValue();
        }
        problems.error(
                at(node), where + " must be a list", "write one `- item` per line, or [a, b]");
        return List.of();
    }

    public String string(Node node, String where) {
        Object value = scalar(node, where);
        if (value == null) return null;
        if (value instanceof String s) return s;
        return String.valueOf(value);
    }

    /**
     * A value as written, whatever YAML would type it as: a digest of 64 digits is text, not the
     * number 0 (environment variables are still substituted).
     */
    String text(Node node, String where) {
        if (node instanceof ScalarNode s
                && !s.getTag().equals(Tag.STR)
                && !s.getTag().equals(Tag.NULL)
                && checkTag(node)) return s.getValue();
        Object value = scalar(node, where);
        if (value == null) return null;
        if (value instanceof String str) return str;
        // Substituted from the environment and typed as YAML would: read back the raw text.
        return env.apply(((ScalarNode) node).getValue(), new String[1])
                .orElse(String.valueOf(value));
    }

    Long integer(Node node, String where) {
        Object value = scalar(node, where);
        if (value instanceof Long l) return l;
        if (value != null)
            problems.error(
                    at(node),
                    where + " must be a whole number, got `" + value + "`",
                    "write a whole number, e.g. 2");
        return null;
    }

    /** A plain value: String, Long, Double, Boolean or null; nested lists and maps for config. */
    Object value(Node node, String where) {
        checkTag(node);
        if (node instanceof ScalarNode) return scalar(node, where);
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node item : seq.getValue()) list.add(value(item, where));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : mapping(node, where, null).entrySet()) {
            map.put(e.getKey(), value(e.getValue().getValueNode(), where + "." + e.getKey()));
        }
        return map;
    }

    public Object scalar(Node node, String where) {
        if (!(node instanceof ScalarNode s)) {
            problems.error(
                    at(node),
                    where
                            + " must be a single value, not a "
                            + (node instanceof SequenceNode ? "list" : "mapping"),
                    "write `key: value`");
            return null;
        }
        if (!checkTag(node)) return null;
        String text = s.getValue();
        Tag tag = node.getTag();
        if (tag.equals(Tag.STR) && EnvSubstitution.hasVariables(text)) {
            String[] missing = new String[1];
            var substituted = env.apply(text, missing);
            if (substituted.isEmpty()) {
                problems.error(
                        at(node),
                        "environment variable `" + missing[0] + "` is not set",
                        "export "
                                + missing[0]
                                + "=… or give a default: ${"
                                + missing[0]
                                + ":-value}");
                return null;
            }
            return typed(substituted.get(), s.isPlain() ? null : Tag.STR);
        }
        if (tag.equals(Tag.NULL)) return null;
        if (tag.equals(Tag.BOOL))
            return Set.of("true", "yes", "on").contains(text.toLowerCase(java.util.Locale.ROOT));
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) return typed(text, null);
        return text;
    }

    /** Types a substituted or numeric string the way YAML would have typed it in place. */
    private static Object typed(String text, Tag forced) {
        if (forced != null) return text;
        String t = text.trim();
        try {
            if (INT.matcher(t).matches()) return Long.parseLong(t.replace("_", ""));
            if (FLOAT.matcher(t).matches()) return Double.parseDouble(t.replace("_", ""));
        } catch (NumberFormatException e) {
            return text;
        }
        if (t.equals("true") || t.equals("false")) return Boolean.parseBoolean(t);
        if (t.equals(".inf") || t.equals("-.inf") || t.equals(".nan")) return Double.NaN;
        return text;
    }

    private boolean checkTag(Node node) {
        if (PLAIN_TAGS.contains(node.getTag())) return true;
        problems.error(
                at(node),
                "YAML tag `" + node.getTag().getValue() + "` is not allowed",
                "remove the tag; pipeline files hold plain values only");
        return false;
    }
}
