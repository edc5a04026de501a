package io.audioflow.pipeline.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.audioflow.api.Decision;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.Reason;
import io.audioflow.api.StageKind;
import io.audioflow.operators.model.PipelineIdentity;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.ingest.ChunkHeaders;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result contract: one JSON object per recording. Field names here are read by analysts' tools;
 * add fields, never rename them (see README, "Result format").
 */
public final class RecordingResultJson {

    // Written with jackson-core's generator, not a databind tree: `analyze` prints one result per
    // file, and an ObjectMapper's set-up is a large share of a short-lived CLI's start.
    private static final JsonFactory JSON = new JsonFactory();

    private RecordingResultJson() {}

    /**
     * The result of an input that never reached a stage (unreadable, refused by the input
     * contract): its id and the error, nothing else.
     */
    public static String refused(String recordingId, String code, String stage, String message) {
        return write(
                g -> {
                    g.writeStringField("recording_id", recordingId);
                    writeError(g, code, stage, message);
                });
    }

    public static String toJson(
            String recordingId,
            PipelineIdentity pipeline,
            List<StageResult> results,
            Decision decision) {
        return toJson(recordingId, pipeline, results, decision, null);
    }

    /**
     * @param shadowDecision the verdict with the pipeline's shadows in place (see {@link
     *     DecisionStage#shadowDecision}); null when it has none
     */
    public static String toJson(
            String recordingId,
            PipelineIdentity pipeline,
            List<StageResult> results,
            Decision decision,
            Decision shadowDecision) {
        return write(g -> writeResult(g, recordingId, pipeline, results, decision, shadowDecision));
    }

    private static void writeResult(
            JsonGenerator g,
            String recordingId,
            PipelineIdentity pipeline,
            List<StageResult> results,
            Decision decision,
            Decision shadowDecision)
            throws IOException {
        g.writeStringField("recording_id", recordingId);
        StageResult decoded =
                results.stream()
                        .filter(r -> kindOf(pipeline, r.stage) == StageKind.DECODER)
                        .findFirst()
                        .orElse(null);
        if (decoded != null && decoded.info.containsKey("frames")) {
            int rate = Integer.parseInt(decoded.info.get("sample_rate"));
            g.writeNumberField(
                    "duration_s", Long.parseLong(decoded.info.get("frames")) / (double) rate);
            g.writeNumberField("sample_rate", rate);
            g.writeNumberField("channels", Integer.parseInt(decoded.info.get("channels")));
        } else {
            g.writeNullField("duration_s");
            g.writeNullField("sample_rate");
            g.writeNullField("channels");
        }
        // False when the recording timed out before its last chunk: the metrics cover what came.
        g.writeBooleanField(
                "complete", decoded == null || !"false".equals(decoded.info.get("complete")));
        if (decoded != null && decoded.info.containsKey("incomplete_reason"))
            g.writeStringField("incomplete_reason", decoded.info.get("incomplete_reason"));
        if (decoded != null) writeSource(g, decoded.info);
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<String, Double> m : DecisionStage.metricsOf(results).entrySet())
            writeNumber(g, m.getKey(), m.getValue());
        g.writeEndObject();
        if (decision != null) {
            g.writeObjectFieldStart("decision");
            writeDecision(g, decision);
            g.writeEndObject();
        }
        writeShadow(g, results, shadowDecision);
        g.writeArrayFieldStart("stages");
        List<StageResult> inPipelineOrder =
                results.stream()
                        .sorted(Comparator.comparingInt(r -> indexOf(pipeline, r.stage)))
                        .toList();
        for (StageResult r : inPipelineOrder) writeStageStatus(g, r);
        g.writeEndArray();
        Optional<StageResult> cause = rootCause(results);
        if (cause.isPresent()) {
            StageResult r = cause.get();
            writeError(g, r.errorCode, r.stage, r.errorMessage);
        }
        writeProvenance(g, pipeline, results);
    }

    /**
     * Whether a result names its failure: an {@code error} object at its top level, as every result
     * of a file that could not be analysed has.
     */
    public static boolean failed(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && field.equals("error")) return true;
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a result: " + e.getMessage(), e);
        }
    }

    private static void writeStageStatus(JsonGenerator g, StageResult r) throws IOException {
        g.writeStartObject();
        g.writeStringField("stage", r.stage);
        g.writeStringField("status", r.status);
        if (r.errorCode != null) g.writeStringField("error_code", r.errorCode);
        if (r.errorMessage != null) g.writeStringField("message", r.errorMessage);
        if (r.attempts > 1) {
            g.writeNumberField("attempts", r.attempts);
            g.writeNumberField("backoff_ms", r.backoffMillis);
        }
        if (r.fallback != null && !r.fallback.isEmpty()) {
            g.writeObjectFieldStart("fallback");
            for (Map.Entry<String, String> f : r.fallback.entrySet()) {
                if (f.getKey().equals("from_frame"))
                    g.writeNumberField(f.getKey(), Long.parseLong(f.getValue()));
                else g.writeStringField(f.getKey(), f.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeError(JsonGenerator g, String code, String stage, String message)
            throws IOException {
        g.writeObjectFieldStart("error");
        g.writeStringField("code", code);
        g.writeStringField("stage", stage);
        g.writeStringField("message", message);
        g.writeEndObject();
    }

    private static void writeProvenance(
            JsonGenerator g, PipelineIdentity pipeline, List<StageResult> results)
            throws IOException {
        g.writeObjectFieldStart("provenance");
        g.writeStringField("pipeline", pipeline.name());
        g.writeStringField("pipeline_version", pipeline.version());
        g.writeStringField("config_sha256", pipeline.configSha256());
        g.writeNumberField("config_version", pipeline.configVersion());
        g.writeArrayFieldStart("stages");
        for (StageSpec spec : pipeline.stages()) {
            g.writeStartObject();
            g.writeStringField("stage", spec.name());
            g.writeStringField("processor", spec.plugin());
            g.writeStringField("version", spec.version());
            Optional<StageResult> fellBack =
                    results.stream()
                            .filter(
                                    r ->
                                            r.stage.equals(spec.name())
                                                    && r.fallback != null
                                                    && !r.fallback.isEmpty())
                            .findFirst();
            if (fellBack.isPresent())
                g.writeStringField("fallback", fellBack.get().fallback.get("processor"));
            Optional<StageResult> changed =
                    results.stream()
                            .filter(
                                    r ->
                                            r.stage.equals(spec.name())
                                                    && !r.info.isEmpty()
                                                    && spec.kind() == StageKind.PROCESSOR)
                            .findFirst();
            if (changed.isPresent()) {
                g.writeObjectFieldStart("changes");
                for (Map.Entry<String, String> c : changed.get().info.entrySet())
                    g.writeStringField(c.getKey(), c.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Chunk count, the input messages' topic and offsets (absent for local files) and the
     * producer's metadata, as the decoder's summary carries them.
     */
    private static void writeSource(JsonGenerator g, Map<String, String> info) throws IOException {
        if (info.containsKey("chunks"))
            g.writeNumberField("chunks", Long.parseLong(info.get("chunks")));
        if (info.containsKey("source.topic")) {
            g.writeObjectFieldStart("source");
            g.writeStringField("topic", info.get("source.topic"));
            g.writeNumberField("partition", Integer.parseInt(info.get("source.partition")));
            g.writeNumberField("offset_first", Long.parseLong(info.get("source.offset_first")));
            g.writeNumberField("offset_last", Long.parseLong(info.get("source.offset_last")));
            if (info.containsKey("source.timestamp_last")) {
                g.writeNumberField(
                        "timestamp_first", Long.parseLong(info.get("source.timestamp_first")));
                g.writeNumberField(
                        "timestamp_last", Long.parseLong(info.get("source.timestamp_last")));
            }
            g.writeEndObject();
        }
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> m : info.entrySet()) {
            if (m.getKey().startsWith(DecodeStage.META))
                g.writeStringField(m.getKey().substring(DecodeStage.META.length()), m.getValue());
        }
        g.writeEndObject();
        String replayOf = info.get(DecodeStage.META + ChunkHeaders.META_REPLAY_OF);
        if (replayOf != null) {
            g.writeStringField("replay_of", replayOf);
            try {
                int attempt =
                        Integer.parseInt(
                                info.getOrDefault(
                                        DecodeStage.META + ChunkHeaders.META_REPLAY_ATTEMPT, ""));
                g.writeNumberField("replay_attempt", attempt);
            } catch (NumberFormatException e) {
                g.writeNullField("replay_attempt"); // a producer's own header, not replay's
            }
        }
    }

    private static void writeDecision(JsonGenerator g, Decision decision) throws IOException {
        g.writeStringField("verdict", decision.verdict().label());
        g.writeArrayFieldStart("reasons");
        for (Reason reason : decision.reasons()) {
            g.writeStartObject();
            g.writeStringField("rule", reason.rule());
            g.writeStringField("metric", reason.metric());
            writeNumber(g, "value", reason.value());
            g.writeStringField("comparison", reason.comparison());
            writeNumber(g, "threshold", reason.threshold());
            g.writeStringField("verdict", reason.verdict().label());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * What the shadows said, apart from the live result: {@code <stage>.<metric>} as in {@code
     * metrics}, {@code errors} by stage for shadows that gave none, and the verdict they would have
     * led to. Absent for a pipeline without shadows.
     */
    private static void writeShadow(
            JsonGenerator g, List<StageResult> results, Decision shadowDecision)
            throws IOException {
        if (shadowDecision == null
                && results.stream()
                        .allMatch(r -> r.shadowMetrics.isEmpty() && r.shadowError == null)) return;
        Map<String, Double> metrics = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        for (StageResult r : results) {
            r.shadowMetrics.forEach((k, v) -> metrics.put(r.stage + "." + k, v));
            if (r.shadowError != null) errors.put(r.stage, r.shadowError);
        }
        g.writeObjectFieldStart("shadow");
        for (Map.Entry<String, Double> m : metrics.entrySet())
            writeNumber(g, m.getKey(), m.getValue());
        if (!errors.isEmpty()) {
            g.writeObjectFieldStart("errors");
            for (Map.Entry<String, String> e : errors.entrySet())
                g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
        }
        if (shadowDecision != null) {
            g.writeObjectFieldStart("decision");
            writeDecision(g, shadowDecision);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The first stage that failed on its own account, not because something upstream did. */
    private static Optional<StageResult> rootCause(List<StageResult> results) {
        return results.stream()
                .filter(r -> StageResult.FAILED.equals(r.status))
                .filter(r -> !ErrorCode.UPSTREAM_FAILED.code().equals(r.errorCode))
                .findFirst();
    }

    private static void writeNumber(JsonGenerator g, String key, double value) throws IOException {
        if (Double.isFinite(value)) g.writeNumberField(key, value);
        else g.writeNullField(key);
    }

    /** The fields {@code body} writes, as one compact JSON object. */
    private static String write(Body body) {
        StringWriter out = new StringWriter(2048);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static StageKind kindOf(PipelineIdentity pipeline, String stage) {
        return pipeline.stages().stream()
                .filter(s -> s.name().equals(stage))
                .map(StageSpec::kind)
                .findFirst()
                .orElse(null);
    }

    private static int indexOf(PipelineIdentity pipeline, String stage) {
        for (int i = 0; i < pipeline.stages().size(); i++) {
            if (pipeline.stages().get(i).name().equals(stage)) return i;
        }
        return Integer.MAX_VALUE;
    }
}
