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
}
