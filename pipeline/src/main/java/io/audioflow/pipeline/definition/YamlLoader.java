package io.audioflow.pipeline.definition;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads YAML into a node tree with positions, never into objects: composing only (no constructor
 * runs), so no tag can instantiate a class. Hostile input is refused with a message: oversized
 * files, invalid UTF-8, alias bombs and deep nesting.
 */
public final class YamlLoader {

    public static final int MAX_BYTES = 1 << 20;
    static final int MAX_ALIASES = 20;
    static final int MAX_DEPTH = 32;

    private YamlLoader() {}

    public static Optional<Node> compose(byte[] bytes, String file, Problems problems) {
        SourcePosition start = SourcePosition.start(file);
        if (bytes.length > MAX_BYTES) {
            problems.error(
                    start,
                    "file is "
                            + bytes.length
                            + " bytes; pipeline files are limited to "
                            + MAX_BYTES
                            + " bytes",
                    "split decision rules or large config into smaller files");
            return Optional.empty();
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
        } catch (CharacterCodingException e) {
            problems.error(
                    start, "file is not valid UTF-8", "save it as UTF-8 (e.g. iconv -t UTF-8)");
            return Optional.empty();
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setProcessComments(false);
        try {
            Node root =
                    new Yaml(new SafeConstructor(options)).compose(new java.io.StringReader(text));
            if (root == null) {
                problems.error(start, "file is empty", "start from config/pipeline.yaml");
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourcePosition at =
                    mark == null
                            ? start
                            : new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
            problems.error(
                    at,
                    "YAML syntax: " + firstLine(e.getProblem()),
                    "check indentation and quoting here");
        } catch (YAMLException e) {
            problems.error(
                    start,
                    "YAML refused: " + firstLine(e.getMessage()),
                    hostileFix(e.getMessage()));
        }
        return Optional.empty();
    }

    private static String hostileFix(String message) {
        if (message != null && message.contains("aliases")) {
            return "use fewer than "
                    + MAX_ALIASES
                    + " aliases; anchors that expand exponentially are refused";
        }
        if (message != null && message.contains("nesting")) {
            return "pipelines need no more than a few levels of nesting (limit " + MAX_DEPTH + ")";
        }
        return "simplify the document";
    }

    private static String firstLine(String text) {
        if (text == null) return "invalid document";
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
