package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.audioflow.api.StageKind;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Config digests are recorded in every result's provenance and compared by the control topic: the
 * canonical form must stay what Jackson's ObjectMapper wrote before it was replaced.
 */
class CanonicalJsonTest {

    private static final ObjectMapper REFERENCE =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Test
    void writesWhatObjectMapperWritesWithEntriesOrderedByKey() throws Exception {
        Map<String, Object> nested = new HashMap<>();
        nested.put("zeta", List.of(1, 2L, 3.5, -0.0, 1e-7, 12345678.9, Float.valueOf(0.1f)));
        nested.put("alpha", null);
        nested.put("ü \"quoted\"\n", "tab\there, é, \u2028, \u0001");
        nested.put("big", List.of(new BigDecimal("1.10"), new BigInteger("123456789012345678901")));
        nested.put("flags", Arrays.asList(true, false, null));
        nested.put("specials", List.of(Double.NaN, Double.POSITIVE_INFINITY, Long.MIN_VALUE));
        nested.put("kind", StageKind.ANALYZER);
        nested.put("short", (short) 7);
        nested.put("array", new Object[] {"a", 1});
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "p");
        doc.put("stages", List.of(nested, Map.of("b", 1, "a", Map.of("y", 2, "x", 1))));
        doc.put("empty", Map.of());

        assertThat(CanonicalJson.of(doc)).isEqualTo(REFERENCE.writeValueAsString(doc));
    }

    /** What the shipped pipelines' digests cover: every plugin's defaults included. */
    @Test
    void theShippedPipelinesAreWrittenAsObjectMapperWroteThem() throws Exception {
        for (String file : List.of("config/pipeline.yaml", "test-data/pipelines/shadows.yaml")) {
            ValidatedPipeline p = load(file);
            Map<String, Object> doc = ConfigDigest.document(p.definition(), p.stages());
            assertThat(CanonicalJson.of(doc)).isEqualTo(REFERENCE.writeValueAsString(doc));
        }
    }

    private static ValidatedPipeline load(String file) throws Exception {
        byte[] yaml = Files.readAllBytes(InvalidPipelinesTest.ROOT.resolve(file));
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(yaml, file, new Problems())
                .pipeline()
                .orElseThrow();
    }
}
