package io.audioflow.job.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audioflow.pipeline.definition.EnvSubstitution;
import io.audioflow.pipeline.definition.PipelineDefinition;
import io.audioflow.pipeline.definition.PipelineParser;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.definition.StageDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlEditsTest {

    private static PipelineDefinition defaultPipeline() throws Exception {
        return new PipelineParser(new EnvSubstitution(Map.of()))
                .parse(
                        Files.readAllBytes(Path.of("../config/pipeline.yaml")),
                        "pipeline.yaml",
                        new Problems())
                .orElseThrow();
    }

    private static StageDefinition stage(PipelineDefinition p, String name) {
        return p.stages().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rule(PipelineDefinition p, int index) {
        return ((List<Map<String, Object>>) stage(p, "decision").config().get("rules")).get(index);
    }

    @Test
    void setsAValueByRuleNameOrIndexAndLeavesTheSubmittedDefinitionAlone() throws Exception {
        PipelineDefinition base = defaultPipeline();
        PipelineDefinition edited =
                ControlEdits.apply(
                        base,
                        List.of(
                                ControlUpdate.set("1", "decision", Map.of("rules.noisy.below", 15)),
                                ControlUpdate.set("2", "decision", Map.of("rules.0.below", -60)),
                                ControlUpdate.set("3", "preprocess", Map.of("sample_rate", 8000))));
        assertThat(rule(edited, 5)).containsEntry("name", "noisy").containsEntry("below", 15);
        assertThat(rule(edited, 0)).containsEntry("below", -60);
        assertThat(stage(edited, "preprocess").config()).containsEntry("sample_rate", 8000);
        assertThat(rule(base, 5)).containsEntry("below", 10L);
        assertThat(stage(edited, "decision").dependencies())
                .isEqualTo(stage(base, "decision").dependencies());
    }

    @Test
    void swapsTheProcessorWithItsConstraintAndCanDropTheOldConfig() throws Exception {
        PipelineDefinition base = defaultPipeline();
        PipelineDefinition swapped =
                ControlEdits.apply(
                        base,
                        List.of(
                                new ControlUpdate(
                                        "1",
                                        null,
                                        ControlUpdate.Action.SWAP,
                                        "preprocess",
                                        "normalize@>=1.0 <2",
                                        Map.of("target_dbfs", -23),
                                        true)));
        StageDefinition s = stage(swapped, "preprocess");
        assertThat(s.processor()).isEqualTo("normalize");
        assertThat(s.versionConstraint()).isEqualTo(">=1.0 <2");
        assertThat(s.config()).containsExactly(Map.entry("target_dbfs", -23));
        PipelineDefinition reset =
                ControlEdits.apply(
                        base,
                        List.of(
                                ControlUpdate.swap("1", "pitch", "pitch", Map.of()),
                                new ControlUpdate(
                                        "2",
                                        null,
                                        ControlUpdate.Action.RESET,
                                        null,
                                        null,
                                        null,
                                        false)));
        assertThat(reset).isEqualTo(base);
    }

    @Test
    void namesWhatExistsWhenAnUpdateMissesIt() throws Exception {
        PipelineDefinition base = defaultPipeline();
        assertThatThrownBy(
                        () ->
                                ControlEdits.apply(
                                        base,
                                        List.of(
                                                ControlUpdate.set(
                                                        "1", "desicion", Map.of("a", 1)))))
                .hasMessageContaining("no stage `desicion`")
                .hasMessageContaining("decision");
        assertThatThrownBy(
                        () ->
                                ControlEdits.apply(
                                        base,
                                        List.of(
                                                ControlUpdate.set(
                                                        "1",
                                                        "decision",
                                                        Map.of("rules.noisey.below", 1)))))
                .hasMessageContaining("no entry named `noisey`")
                .hasMessageContaining("noisy, some_noise");
        assertThatThrownBy(
                        () ->
                                ControlEdits.apply(
                                        base,
                                        List.of(
                                                ControlUpdate.set(
                                                        "1",
                                                        "decision",
                                                        Map.of("rules.40.below", 1)))))
                .hasMessageContaining("index 40 is past the end");
    }

    @Test
    void malformedMessagesSayWhatToSend() {
        assertThatThrownBy(() -> ControlUpdate.parse("{not json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ControlUpdate.parse("{\"action\":\"delete\",\"stage\":\"x\"}"))
                .hasMessageContaining("one of set, swap, shadow, unshadow, reset");
        assertThatThrownBy(() -> ControlUpdate.parse("{\"action\":\"set\",\"stage\":\"x\"}"))
                .hasMessageContaining("`set` needs `values`");
        assertThatThrownBy(() -> ControlUpdate.parse("{\"action\":\"swap\",\"stage\":\"x\"}"))
                .hasMessageContaining("missing `processor`");
    }

    @Test
    void anUpdateSurvivesItsOwnJson() throws Exception {
        ControlUpdate u =
                new ControlUpdate(
                        "id-1",
                        "default",
                        ControlUpdate.Action.SWAP,
                        "pitch",
                        "pitch@^1.0",
                        Map.of("threshold", 0.15, "decimate", false),
                        true);
        assertThat(ControlUpdate.parse(u.toJson())).isEqualTo(u);
    }
}
