package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.ErrorCode;
import io.audioflow.pipeline.ingest.ChunkHeaders;
import io.audioflow.pipeline.ingest.RejectReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * config/asyncapi.yaml documents the topics: it must name every header and reason code the job
 * uses.
 */
class AsyncApiContractTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> n = node;
        for (String p : path) n = (Map<String, Object>) n.get(p);
        return n;
    }

    @Test
    @SuppressWarnings("unchecked")
    void documentsEveryInputHeaderAndDeadLetterCode() throws IOException {
        Map<String, Object> doc =
                new Yaml(new SafeConstructor(new LoaderOptions()))
                        .load(Files.readString(Path.of("../config/asyncapi.yaml")));
        Map<String, Object> chunkHeaders =
                at(doc, "components", "messages", "chunk", "headers", "properties");
        assertThat(chunkHeaders.keySet())
                .containsExactlyInAnyOrder(
                        ChunkHeaders.SEQ,
                        ChunkHeaders.LAST,
                        ChunkHeaders.FORMAT,
                        ChunkHeaders.SAMPLE_RATE,
                        ChunkHeaders.CHANNELS,
                        ChunkHeaders.SCHEMA);
        List<String> codes =
                (List<String>)
                        at(
                                        doc,
                                        "components",
                                        "messages",
                                        "deadLetter",
                                        "headers",
                                        "properties",
                                        "audioflow.error.code")
                                .get("enum");
        assertThat(codes)
                .containsAll(Arrays.stream(RejectReason.values()).map(RejectReason::code).toList());
        // Codes a stage can fail with at run time (the pipeline and plugin-load codes stop the
        // job before it reads anything, so they never reach the dead letters).
        assertThat(codes)
                .containsAll(
                        EnumSet.range(ErrorCode.UNSUPPORTED_FORMAT, ErrorCode.INTERNAL_ERROR)
                                .stream()
                                .map(ErrorCode::code)
                                .toList());
        assertThat(at(doc, "channels", "chunks").get("address")).isEqualTo("audio.chunks");
        assertThat(at(doc, "channels", "results").get("address")).isEqualTo("audio.results");
        assertThat(at(doc, "channels", "deadLetters").get("address")).isEqualTo("audio.dlq");
        assertThat(at(doc, "channels", "monitor").get("address")).isEqualTo("audio.monitor");
    }
}
