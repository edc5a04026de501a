package io.audioflow.pipeline.definition;

import io.audioflow.operators.model.StageSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 of the resolved configuration (stages, exact plugin versions, config with defaults) in a
 * canonical JSON form: the same pipeline always gives the same digest, whatever its formatting,
 * comments or key order.
 */
final class ConfigDigest {

    private ConfigDigest() {}

    private static Map<String, Object> stage(ResolvedStage s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", s.name());
        doc.put("processor", s.spec().coordinates());
        doc.put("config", s.spec().config());
        doc.put("dependencies", s.definition().dependencyNames());
        doc.put("error_handling", s.spec().errorPolicy().toString());
        // Only when set, so that the digests of pipelines without shadows stay what they were.
        StageSpec shadow = s.spec().shadow();
        if (shadow != null)
            doc.put("shadow", Map.of("processor", shadow.coordinates(), "config", shadow.config()));
        return doc;
    }

    /** What the digest covers, before it is written canonically. */
    static Map<String, Object> document(PipelineDefinition pipeline, List<ResolvedStage> stages) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", pipeline.name());
        doc.put("version", pipeline.version());
        doc.put("stages", stages.stream().map(ConfigDigest::stage).toList());
        return doc;
    }

    static String sha256(PipelineDefinition pipeline, List<ResolvedStage> stages) {
        try {
            byte[] json =
                    CanonicalJson.of(document(pipeline, stages)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
