package io.audioflow.job.suite;

import io.audioflow.job.suite.PipelineSuite.Case;
import io.audioflow.job.suite.PipelineSuite.Range;
import io.audioflow.pipeline.definition.EnvSubstitution;
import io.audioflow.pipeline.definition.NodeReader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Reads a suite file with the pipeline parser's rules: composed YAML (no object is ever built from
 * a tag), {@code ${ENV}} in values, and every mistake reported with its line and the fix, all in
 * one pass. Paths are relative to the suite file, so a suite moves with its audio.
 */
public final class SuiteParser {

    public static final Set<String> VERDICTS = Set.of("accept", "enhance", "reject");
    private static final Set<String> SUITE_KEYS = Set.of("name", "pipeline", "cases");
    private static final Set<String> CASE_KEYS =
            Set.of("name", "audio", "verdict", "reasons", "error", "metrics");

    private final Map<String, String> env;

    public SuiteParser(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The suite, or empty with the reasons in {@code problems}. */
    public Optional<PipelineSuite> parse(Path file, Problems problems) {
        String shown = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.error(
                    io.audioflow.pipeline.definition.SourcePosition.start(shown),
                    "cannot read the suite: " + e.getMessage(),
                    "check the path");
            return Optional.empty();
        }
        Optional<Node> root = YamlLoader.compose(bytes, shown, problems);
        if (root.isEmpty()) return Optional.empty();
        NodeReader r = new NodeReader(shown, problems, new EnvSubstitution(env));
        Path base = file.toAbsolutePath().getParent();
        Map<String, NodeTuple> top = r.mapping(root.get(), "the suite", SUITE_KEYS);

        String name = stem(file);
        if (top.containsKey("name")) name = r.string(top.get("name").getValueNode(), "`name`");
        Path pipeline = null;
        if (top.containsKey("pipeline")) {
            String p = r.string(top.get("pipeline").getValueNode(), "`pipeline`");
            if (p != null) pipeline = base.resolve(p).normalize();
        }
        List<Case> cases = new ArrayList<>();
        if (!top.containsKey("cases")) {
            r.problemsMissing(
                    root.get(),
                    "the suite has no `cases`",
                    "add `cases:` with one `- audio: FILE` entry per labelled recording");
        } else {
            Map<String, Node> idsSeen = new HashMap<>();
            for (Node item : r.sequence(top.get("cases").getValueNode(), "`cases`")) {
                Case c = parseCase(r, item, base);
                if (c == null) continue;
                String id = c.audio().getFileName().toString();
                Node earlier = idsSeen.putIfAbsent(id, item);
                if (earlier != null && !caseAudio(cases, id).equals(c.audio()))
                    r.problemsMissing(
                            item,
                            "two cases' audio files are both called `"
                                    + id
                                    + "`, and a recording's id is its file name",
                            "rename one of the files");
                cases.add(c);
            }
            if (cases.isEmpty() && !problems.hasErrors())
                r.problemsMissing(
                        top.get("cases").getValueNode(),
                        "`cases` is empty",
                        "add one `- audio: FILE` entry per labelled recording");
        }
        return problems.hasErrors()
                ? Optional.empty()
                : Optional.of(new PipelineSuite(name, pipeline, cases));
    }

    private static Path caseAudio(List<Case> cases, String id) {
        return cases.stream()
                .map(Case::audio)
                .filter(a -> a.getFileName().toString().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private Case parseCase(NodeReader r, Node node, Path base) {
        Map<String, NodeTuple> m = r.mapping(node, "a case", CASE_KEYS);
        if (!m.containsKey("audio")) {
            r.problemsMissing(node, "a case has no `audio`", "add `audio: path/to/file.wav`");
            return null;
        }
        Node audioNode = m.get("audio").getValueNode();
        String audioText = r.string(audioNode, "`audio`");
        if (audioText == null) return null;
        Path audio = base.resolve(audioText).normalize();
        if (!Files.isRegularFile(audio) || !Files.isReadable(audio)) {
            r.problemsMissing(
                    audioNode,
                    "audio file `" + audioText + "` is not there (looked for " + audio + ")",
                    "paths are relative to the suite file; check the name");
            return null;
        }
        String where = "case `" + audioText + "`";
        String name = audio.getFileName().toString();
        if (m.containsKey("name")) name = r.string(m.get("name").getValueNode(), "`name`");

        String verdict = null;
        if (m.containsKey("verdict")) {
            Node v = m.get("verdict").getValueNode();
            verdict = r.string(v, "`verdict` of " + where);
            if (verdict != null && !VERDICTS.contains(verdict)) {
                r.problemsMissing(
                        v,
                        "unknown verdict `" + verdict + "` in " + where,
                        "write accept, enhance or reject");
                verdict = null;
            }
        }
        List<String> reasons = new ArrayList<>();
        if (m.containsKey("reasons"))
            for (Node rule : r.sequence(m.get("reasons").getValueNode(), "`reasons`")) {
                String text = r.string(rule, "a reason");
                if (text != null) reasons.add(text);
            }
        String error = null;
        if (m.containsKey("error")) error = r.string(m.get("error").getValueNode(), "`error`");

        Map<String, Range> metrics = new LinkedHashMap<>();
        if (m.containsKey("metrics"))
            for (Map.Entry<String, NodeTuple> e :
                    r.mapping(m.get("metrics").getValueNode(), "`metrics` of " + where, null)
                            .entrySet()) {
                if (e.getKey().indexOf('.') <= 0) {
                    r.problemsMissing(
                            e.getValue().getKeyNode(),
                            "metric `"
                                    + e.getKey()
                                    + "` in "
                                    + where
                                    + " is not `<stage>.<metric>`",
                            "name it as the result does, e.g. loudness.integrated_lufs");
                    continue;
                }
                Range range = range(r, e.getValue().getValueNode(), e.getKey());
                if (range != null) metrics.put(e.getKey(), range);
            }
        return new Case(name, audio, r.at(node), verdict, reasons, error, metrics);
    }

    private static Range range(NodeReader r, Node node, String metric) {
        String fix = "write `" + metric + ": [MIN, MAX]` (both included), or null for no value";
        if (node instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
            if (r.scalar(node, "`" + metric + "`") == null) return Range.NULL;
            r.problemsMissing(node, "`" + metric + "` must be a range", fix);
            return null;
        }
        List<Node> ends = r.sequence(node, "`" + metric + "`");
        if (ends.size() != 2) {
            r.problemsMissing(node, "`" + metric + "` must be two numbers, [MIN, MAX]", fix);
            return null;
        }
        Double min = number(r, ends.get(0), metric, fix);
        Double max = number(r, ends.get(1), metric, fix);
        if (min == null || max == null) return null;
        if (min > max) {
            r.problemsMissing(
                    node,
                    "`" + metric + "`: MIN " + min + " is above MAX " + max,
                    "write [" + Range.format(max) + ", " + Range.format(min) + "]");
            return null;
        }
        return new Range(min, max);
    }

    private static Double number(NodeReader r, Node node, String metric, String fix) {
        Object v = r.scalar(node, "`" + metric + "`");
        if (v instanceof Number n) return n.doubleValue();
        r.problemsMissing(node, "`" + metric + "`: `" + v + "` is not a number", fix);
        return null;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
