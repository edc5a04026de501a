package io.audioflow.operators.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one stage reports about one recording when it is done with it: metrics for analyzers, what
 * changed for processors, the decoded format for the decoder. Small by design: joins collect these,
 * never audio.
 */
public class StageResult {
    public static final String OK = "ok";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    public String recordingId;
    public String stage;
    public String plugin;
    public String status;
    public String errorCode;
    public String errorMessage;
    public Map<String, Double> metrics = new LinkedHashMap<>();
    public Map<String, String> info = new LinkedHashMap<>();

    /** The stage's shadow processor's metrics (by metric name); empty without a shadow. */
    public Map<String, Double> shadowMetrics = new LinkedHashMap<>();

    /** Why the shadow processor gave no metrics ("code: message"); null when it did or has none. */
    public String shadowError;

    /**
     * Empty unless the stage's fallback processor took the recording over: {@code processor},
     * {@code replaced}, {@code error_code}, {@code message}, {@code from_frame}.
     */
    public Map<String, String> fallback = new LinkedHashMap<>();

    /** How often the step that failed ran under {@code error_handling: retry}; 1 otherwise. */
    public int attempts = 1;

    /** How long those retries waited, in all. */
    public long backoffMillis;

    /** The configuration the recording started under; null for the submitted one. */
    public PipelineVersion config;

    public StageResult() {}

    public static StageResult ok(String recordingId, StageSpec stage) {
        StageResult r = new StageResult();
        r.recordingId = recordingId;
        r.stage = stage.name();
        r.plugin = stage.coordinates();
        r.status = OK;
        return r;
    }

    public static StageResult failed(
            String recordingId, StageSpec stage, String code, String message) {
        StageResult r = ok(recordingId, stage);
        r.status = FAILED;
        r.errorCode = code;
        r.errorMessage = message;
        return r;
    }

    /** This stage could not run because {@code marker}'s stage failed earlier in the graph. */
    public static StageResult upstreamFailed(AudioChunk marker, StageSpec stage) {
        return failed(
                marker.recordingId,
                stage,
                io.audioflow.api.ErrorCode.UPSTREAM_FAILED.code(),
                "stage `" + marker.errorStage + "` failed");
    }

    public static StageResult skipped(String recordingId, StageSpec stage, String reason) {
        StageResult r = ok(recordingId, stage);
        r.status = SKIPPED;
        r.errorMessage = reason;
        return r;
    }

    /** This result, of a recording running under {@code config}. */
    public StageResult under(PipelineVersion config) {
        this.config = config;
        return this;
    }
}
