package io.audioflow.pipeline.runtime;

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
import org.junit.jupiter.api.Test;

class RecordingResultJsonTest {

    private static final StageSpec LEVEL =
            StageSpec.of(
                    "level",
                    StageKind.ANALYZER,
                    "temporal",
                    SemVer.of(1, 0, 0),
                    Map.of(),
                    new ErrorPolicy(ErrorPolicy.Mode.RETRY, 3, 10, null));

    @Test
    void aStageEntryCarriesTheRetriesBeforeItFailedAndOnlyThen() throws Exception {
        var pipeline = new PipelineIdentity("p", "1.0.0", "0".repeat(64), 1, List.of(LEVEL));
        StageResult failed = StageResult.failed("r", LEVEL, "stage_failed", "boom");
        failed.attempts = 3;
        failed.backoffMillis = 30;
        JsonNode stage =
                new ObjectMapper()
                        .readTree(RecordingResultJson.toJson("r", pipeline, List.of(failed), null))
                        .path("stages")
                        .get(0);
        assertThat(stage.path("attempts").asInt()).isEqualTo(3);
        assertThat(stage.path("backoff_ms").asLong()).isEqualTo(30);

        JsonNode once =
                new ObjectMapper()
                        .readTree(
                                RecordingResultJson.toJson(
                                        "r",
                                        pipeline,
                                        List.of(StageResult.failed("r", LEVEL, "x", "y")),
                                        null))
                        .path("stages")
                        .get(0);
        assertThat(once.has("attempts")).isFalse();
    }

    private static final StageSpec DECODE =
            StageSpec.of(
                    "decode",
                    StageKind.DECODER,
                    "decode",
                    SemVer.of(1, 0, 0),
                    Map.of(),
                    new ErrorPolicy(ErrorPolicy.Mode.FAIL, 1, 0, null));

    /** The whole contract for a recording read from Kafka, written out by hand. */
    @Test
    void aRecordingFromKafkaNamesItsSourceMetadataReplayMetricsAndProvenance() {
        var pipeline =
                new PipelineIdentity("p", "1.0.0", "0".repeat(64), 2, List.of(DECODE, LEVEL));
        StageResult decoded = StageResult.ok("r", DECODE);
        decoded.info.put("frames", "24000");
        decoded.info.put("sample_rate", "16000");
        decoded.info.put("channels", "1");
        decoded.info.put("chunks", "2");
        decoded.info.put("source.topic", "audio.chunks");
        decoded.info.put("source.partition", "3");
        decoded.info.put("source.offset_first", "10");
        decoded.info.put("source.offset_last", "11");
        decoded.info.put("source.timestamp_first", "1000");
        decoded.info.put("source.timestamp_last", "2000");
        decoded.info.put("meta.error", "a producer's key, not a failure");
        decoded.info.put("meta.replay_of", "r0");
        decoded.info.put("meta.replay_attempt", "2");
        StageResult level = StageResult.ok("r", LEVEL);
        level.metrics.put("rms_dbfs", -20.5);
        level.metrics.put("crest_db", Double.NaN);

        String json = RecordingResultJson.toJson("r", pipeline, List.of(level, decoded), null);

        assertThat(json)
                .isEqualTo(
                        "{\"recording_id\":\"r\",\"duration_s\":1.5,\"sample_rate\":16000,"
                                + "\"channels\":1,\"complete\":true,\"chunks\":2,"
                                + "\"source\":{\"topic\":\"audio.chunks\",\"partition\":3,"
                                + "\"offset_first\":10,\"offset_last\":11,\"timestamp_first\":1000,"
                                + "\"timestamp_last\":2000},"
                                + "\"metadata\":{\"error\":\"a producer's key, not a failure\","
                                + "\"replay_of\":\"r0\",\"replay_attempt\":\"2\"},"
                                + "\"replay_of\":\"r0\",\"replay_attempt\":2,"
                                + "\"metrics\":{\"level.crest_db\":null,\"level.rms_dbfs\":-20.5},"
                                + "\"stages\":[{\"stage\":\"decode\",\"status\":\"ok\"},"
                                + "{\"stage\":\"level\",\"status\":\"ok\"}],"
                                + "\"provenance\":{\"pipeline\":\"p\",\"pipeline_version\":\"1.0.0\","
                                + "\"config_sha256\":\""
                                + "0".repeat(64)
                                + "\",\"config_version\":2,\"stages\":["
                                + "{\"stage\":\"decode\",\"processor\":\"decode\",\"version\":\"1.0.0\"},"
                                + "{\"stage\":\"level\",\"processor\":\"temporal\","
                                + "\"version\":\"1.0.0\"}]}}");
        assertThat(RecordingResultJson.failed(json)).isFalse();
    }

    @Test
    void aResultFailedWhenItsTopLevelNamesAnError() {
        assertThat(RecordingResultJson.failed(RecordingResultJson.refused("r", "c", "s", "m")))
                .isTrue();
        var pipeline = new PipelineIdentity("p", "1.0.0", "0".repeat(64), 1, List.of(LEVEL));
        String failed =
                RecordingResultJson.toJson(
                        "r", pipeline, List.of(StageResult.failed("r", LEVEL, "x", "y")), null);
        assertThat(failed).contains("\"error\":{\"code\":\"x\",\"stage\":\"level\"");
        assertThat(RecordingResultJson.failed(failed)).isTrue();
    }
}
