package io.audioflow.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.PipelineIdentity;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ResultAssemblerTest {

    private static final StageSpec DECODE =
            StageSpec.of(
                    "decode",
                    StageKind.DECODER,
                    "decode",
                    SemVer.of(1, 0, 0),
                    Map.of(),
                    ErrorPolicy.FAIL);
    private static final StageSpec TEMPORAL =
            StageSpec.of(
                    "temporal",
                    StageKind.ANALYZER,
                    "temporal",
                    SemVer.of(1, 0, 0),
                    Map.of(),
                    ErrorPolicy.FAIL);
    private static final StageSpec DECISION =
            StageSpec.of(
                    "decision",
                    StageKind.DECISION,
                    "rules",
                    SemVer.of(1, 0, 0),
                    Map.of(
                            "on_missing_metric",
                            "reject",
                            "rules",
                            List.of(
                                    Map.of(
                                            "name",
                                            "quiet",
                                            "metric",
                                            "temporal.rms_dbfs",
                                            "below",
                                            -30.0,
                                            "verdict",
                                            "enhance"))),
                    ErrorPolicy.FAIL);
    private static final PipelineIdentity PIPELINE =
            new PipelineIdentity("p", "1.2.0", "abc123", List.of(DECODE, TEMPORAL, DECISION));

    private static KeyedOneInputStreamOperatorTestHarness<String, StageResult, String> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ResultAssembler(PIPELINE, DECISION)),
                r -> r.recordingId,
                Types.STRING);
    }

    private static StageResult decoded(String id) {
        StageResult r = StageResult.ok(id, DECODE);
        r.info.putAll(Map.of("sample_rate", "16000", "channels", "2", "frames", "24000"));
        return r;
    }

    @Test
    void waitsForEveryStageThenEmitsTheResultContract() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(decoded("a"), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            StageResult t = StageResult.ok("a", TEMPORAL);
            t.metrics.put("rms_dbfs", -40.0);
            h.processElement(t, 0);
            JsonNode json = new ObjectMapper().readTree(h.extractOutputValues().get(0));
            assertThat(json.path("recording_id").asText()).isEqualTo("a");
            assertThat(json.path("duration_s").asDouble()).isEqualTo(1.5);
            assertThat(json.path("sample_rate").asInt()).isEqualTo(16000);
            assertThat(json.path("channels").asInt()).isEqualTo(2);
            assertThat(json.path("complete").asBoolean()).isTrue();
            assertThat(json.path("metrics").path("temporal.rms_dbfs").asDouble()).isEqualTo(-40.0);
            assertThat(json.path("decision").path("verdict").asText()).isEqualTo("enhance");
            assertThat(json.path("decision").path("reasons").get(0).path("rule").asText())
                    .isEqualTo("quiet");
            assertThat(json.path("provenance").path("pipeline_version").asText())
                    .isEqualTo("1.2.0");
            assertThat(json.path("provenance").path("config_sha256").asText()).isEqualTo("abc123");
            assertThat(json.path("provenance").path("stages").get(1).path("processor").asText())
                    .isEqualTo("temporal");
            assertThat(json.has("error")).isFalse();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void namesTheStageThatFailedFirstNotTheOnesThatFollowed() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(
                    StageResult.failed(
                            "b", DECODE, "truncated_header", "WAV stream ended inside its header"),
                    0);
            h.processElement(
                    StageResult.failed("b", TEMPORAL, "upstream_failed", "stage `decode` failed"),
                    0);
            JsonNode json = new ObjectMapper().readTree(h.extractOutputValues().get(0));
            assertThat(json.path("error").path("code").asText()).isEqualTo("truncated_header");
            assertThat(json.path("error").path("stage").asText()).isEqualTo("decode");
            assertThat(json.path("decision").path("verdict").asText())
                    .as("metrics missing")
                    .isEqualTo("reject");
            assertThat(json.path("duration_s").isNull()).isTrue();
        }
    }

    @Test
    void aStageItsFallbackTookOverSaysSoInItsStatusAndInTheProvenance() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(decoded("c"), 0);
            StageResult t = StageResult.ok("c", TEMPORAL);
            t.plugin = "temporal-lite@2.0.0";
            t.metrics.put("rms_dbfs", -20.0);
            t.fallback.putAll(
                    Map.of(
                            "processor", "temporal-lite@2.0.0",
                            "replaced", "temporal@1.0.0",
                            "error_code", "stage_failed",
                            "message", "boom",
                            "from_frame", "4000"));
            h.processElement(t, 0);
            JsonNode json = new ObjectMapper().readTree(h.extractOutputValues().get(0));
            JsonNode status = json.path("stages").get(1);
            assertThat(status.path("status").asText()).isEqualTo("ok");
            assertThat(status.path("fallback").path("processor").asText())
                    .isEqualTo("temporal-lite@2.0.0");
            assertThat(status.path("fallback").path("from_frame").isIntegralNumber()).isTrue();
            assertThat(status.path("fallback").path("from_frame").asLong()).isEqualTo(4000);
            assertThat(json.path("provenance").path("stages").get(1).path("fallback").asText())
                    .isEqualTo("temporal-lite@2.0.0");
            assertThat(json.path("provenance").path("stages").get(0).has("fallback")).isFalse();
        }
    }
}
