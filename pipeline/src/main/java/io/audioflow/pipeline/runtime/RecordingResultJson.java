package io.audioflow.pipeline.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.api.Decision;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.Reason;
import io.audioflow.api.StageKind;
import io.audioflow.operators.model.PipelineIdentity;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.ingest.ChunkHeaders;
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

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordingResultJson() {}

    /**
     * The result of an input that never reached a stage (unreadable, refused by the input
     * contract): its id and the error, nothing else.
     */
    public static String refused(String recordingId, String code, String stage, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("recording_id", recordingId);
        ObjectNode e = root.putObject("error");
        e.put("code", code);
        e.put("stage", stage);
        e.put("message", message);
        return root.toString();
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
        ObjectNode root = MAPPER.createObjectNode();
        root.put("recording_id", recordingId);
        StageResult decoded =
                results.stream()
                        .filter(r -> kindOf(pipeline, r.stage) == StageKind.DECODER)
                        .findFirst()
                        .orElse(null);
        if (decoded != null && decoded.info.containsKey("frames")) {
            int rate = Integer.parseInt(decoded.info.get("sample_rate"));
            root.put("duration_s", Long.parseLong(decoded.info.get("frames")) / (double) rate);
            root.put("sample_rate", rate);
            root.put("channels", Integer.parseInt(decoded.info.get("channels")));
        } else {
            root.putNull("duration_s");
            root.putNull("sample_rate");
            root.putNull("channels");
        }
        // False when the recording timed out before its last chunk: the metrics cover what came.
        root.put("complete", decoded == null || !"false".equals(decoded.info.get("complete")));
        if (decoded != null && decoded.info.containsKey("incomplete_reason"))
            root.put("incomplete_reason", decoded.info.get("incomplete_reason"));
        if (decoded != null) putSource(root, decoded.info);
        ObjectNode metrics = root.putObject("metrics");
        DecisionStage.metricsOf(results).forEach((k, v) -> putNumber(metrics, k, v));
        if (decision != null) putDecision(root.putObject("decision"), decision);
        putShadow(root, results, shadowDecision);
        ArrayNode stageStatus = root.putArray("stages");
        results.stream()
                .sorted(Comparator.comparingInt(r -> indexOf(pipeline, r.stage)))
                .forEach(
                        r -> {
                            ObjectNode n = stageStatus.addObject();
                            n.put("stage", r.stage);
                            n.put("status", r.status);
                            if (r.errorCode != null) n.put("error_code", r.errorCode);
                            if (r.errorMessage != null) n.put("message", r.errorMessage);
                            if (r.attempts > 1) {
                                n.put("attempts", r.attempts);
                                n.put("backoff_ms", r.backoffMillis);
                            }
                            if (r.fallback != null && !r.fallback.isEmpty()) {
                                ObjectNode f = n.putObject("fallback");
                                r.fallback.forEach(
                                        (k, v) -> {
                                            if (k.equals("from_frame")) f.put(k, Long.parseLong(v));
                                            else f.put(k, v);
                                        });
                            }
                        });
        rootCause(results)
                .ifPresent(
                        r -> {
                            ObjectNode error = root.putObject("error");
                            error.put("code", r.errorCode);
                            error.put("stage", r.stage);
                            error.put("message", r.errorMessage);
                        });
        ObjectNode provenance = root.putObject("provenance");
        provenance.put("pipeline", pipeline.name());
        provenance.put("pipeline_version", pipeline.version());
        provenance.put("config_sha256", pipeline.configSha256());
        provenance.put("config_version", pipeline.configVersion());
        ArrayNode stages = provenance.putArray("stages");
        for (StageSpec spec : pipeline.stages()) {
            ObjectNode n = stages.addObject();
            n.put("stage", spec.name());
            n.put("processor", spec.plugin());
            n.put("version", spec.version());
            results.stream()
                    .filter(
                            r ->
                                    r.stage.equals(spec.name())
                                            && r.fallback != null
                                            && !r.fallback.isEmpty())
                    .findFirst()
                    .ifPresent(r -> n.put("fallback", r.fallback.get("processor")));
            results.stream()
                    .filter(
                            r ->
                                    r.stage.equals(spec.name())
                                            && !r.info.isEmpty()
                                            && spec.kind() == StageKind.PROCESSOR)
                    .findFirst()
                    .ifPresent(r -> r.info.forEach((k, v) -> n.with("changes").put(k, v)));
        }
        return root.toString();
    }

    /**
     * Chunk count, the input messages' topic and offsets (absent for local files) and the
     * producer's metadata, as the decoder's summary carries them.
     */
    private static void putSource(ObjectNode root, Map<String, String> info) {
        if (info.containsKey("chunks")) root.put("chunks", Long.parseLong(info.get("chunks")));
        if (info.containsKey("source.topic")) {
            ObjectNode source = root.putObject("source");
            source.put("topic", info.get("source.topic"));
            source.put("partition", Integer.parseInt(info.get("source.partition")));
            source.put("offset_first", Long.parseLong(info.get("source.offset_first")));
            source.put("offset_last", Long.parseLong(info.get("source.offset_last")));
            if (info.containsKey("source.timestamp_last")) {
                source.put("timestamp_first", Long.parseLong(info.get("source.timestamp_first")));
                source.put("timestamp_last", Long.parseLong(info.get("source.timestamp_last")));
            }
        }
        ObjectNode metadata = root.putObject("metadata");
        info.forEach(
                (k, v) -> {
                    if (k.startsWith(DecodeStage.META))
                        metadata.put(k.substring(DecodeStage.META.length()), v);
                });
        String replayOf = info.get(DecodeStage.META + ChunkHeaders.META_REPLAY_OF);
        if (replayOf != null) {
            root.put("replay_of", replayOf);
            try {
                root.put(
                        "replay_attempt",
                        Integer.parseInt(
                                info.getOrDefault(
                                        DecodeStage.META + ChunkHeaders.META_REPLAY_ATTEMPT, "")));
            } catch (NumberFormatException e) {
                root.putNull("replay_attempt"); // a producer's own header, not audioflow replay's
            }
        }
    }

    private static void putDecision(ObjectNode d, Decision decision) {
        d.put("verdict", decision.verdict().label());
        ArrayNode reasons = d.putArray("reasons");
        for (Reason reason : decision.reasons()) {
            ObjectNode n = reasons.addObject();
            n.put("rule", reason.rule());
            n.put("metric", reason.metric());
            putNumber(n, "value", reason.value());
            n.put("comparison", reason.comparison());
            putNumber(n, "threshold", reason.threshold());
            n.put("verdict", reason.verdict().label());
        }
    }

    /**
     * What the shadows said, apart from the live result: {@code <stage>.<metric>} as in {@code
     * metrics}, {@code errors} by stage for shadows that gave none, and the verdict they would have
     * led to. Absent for a pipeline without shadows.
     */
    private static void putShadow(
            ObjectNode root, List<StageResult> results, Decision shadowDecision) {
        if (shadowDecision == null
                && results.stream()
                        .allMatch(r -> r.shadowMetrics.isEmpty() && r.shadowError == null)) return;
        Map<String, Double> metrics = new TreeMap<>();
        Map<String, String> errors = new TreeMap<>();
        for (StageResult r : results) {
            r.shadowMetrics.forEach((k, v) -> metrics.put(r.stage + "." + k, v));
            if (r.shadowError != null) errors.put(r.stage, r.shadowError);
        }
        ObjectNode shadow = root.putObject("shadow");
        metrics.forEach((k, v) -> putNumber(shadow, k, v));
        if (!errors.isEmpty()) errors.forEach(shadow.putObject("errors")::put);
        if (shadowDecision != null) putDecision(shadow.putObject("decision"), shadowDecision);
    }

    /** The first stage that failed on its own account, not because something upstream did. */
    private static Optional<StageResult> rootCause(List<StageResult> results) {
        return results.stream()
                .filter(r -> StageResult.FAILED.equals(r.status))
                .filter(r -> !ErrorCode.UPSTREAM_FAILED.code().equals(r.errorCode))
                .findFirst();
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) node.put(key, value);
        else node.putNull(key);
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
