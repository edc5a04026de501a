package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audioflow.pipeline.definition.PipelineDefinition.CheckpointDefinition;
import io.audioflow.pipeline.definition.PipelineDefinition.KafkaDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineParserTest {

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in =
                PipelineParserTest.class.getResourceAsStream("/definitions/" + name)) {
            return in.readAllBytes();
        }
    }

    private static SourcePosition at(int line, int column) {
        return new SourcePosition("small.yaml", line, column);
    }

    @Test
    void parsesAFileIntoTheDefinitionItDescribes() throws IOException {
        Problems problems = new Problems();
        Optional<PipelineDefinition> parsed =
                new PipelineParser(new EnvSubstitution(Map.of("TEST_PARALLELISM", "2")))
                        .parse(fixture("small.yaml"), "small.yaml", problems);
        assertThat(problems.all()).isEmpty();
        PipelineDefinition expected =
                new PipelineDefinition(
                        "small",
                        "2.1.0",
                        List.of(
                                new StageDefinition(
                                        "decode",
                                        "decode",
                                        "*",
                                        Map.of(),
                                        List.of(),
                                        null,
                                        ErrorHandlingDefinition.defaultAt(at(10, 5)),
                                        at(10, 5),
                                        at(11, 16),
                                        null,
                                        Map.of(),
                                        null),
                                new StageDefinition(
                                        "temporal",
                                        "temporal",
                                        "^1.0",
                                        Map.of("clip_level", 0.99),
                                        List.of(new Located<>("decode", at(14, 20))),
                                        2,
                                        new ErrorHandlingDefinition(
                                                "retry", 4, 250, null, at(17, 7)),
                                        at(12, 5),
                                        at(13, 16),
                                        at(21, 7),
                                        Map.of("clip_level", at(21, 7)),
                                        null)),
                        new KafkaDefinition(
                                "broker:9092",
                                "audio.chunks",
                                "my.results",
                                "audio.dlq",
                                "audio.control",
                                "audioflow",
                                null,
                                "audio.control.results",
                                Map.of()),
                        new CheckpointDefinition(5000, "exactly_once", null, "rocksdb"),
                        List.of(),
                        List.of(),
                        "small.yaml",
                        PipelineDefinition.LimitsDefinition.defaults(),
                        PipelineDefinition.RestartDefinition.defaults());
        assertThat(parsed).contains(expected);
    }

    @Test
    void readsLimitsAndRestartsOverTheirDefaults() {
        Problems problems = new Problems();
        String yaml =
                "name: p\nversion: 1.0.0\nlimits: {max_recording_seconds: 60, max_recording_bytes: 9}\n"
                        + "restarts: {attempts: 4, reset_after_ms: 5000}\n"
                        + "stages:\n  - {name: decode, processor: decode}\n";
        PipelineDefinition parsed =
                new PipelineParser(new EnvSubstitution(Map.of()))
                        .parse(yaml.getBytes(), "p.yaml", problems)
                        .orElseThrow();
        assertThat(problems.all()).isEmpty();
        var limits = PipelineDefinition.LimitsDefinition.defaults();
        assertThat(parsed.limits())
                .isEqualTo(
                        new PipelineDefinition.LimitsDefinition(
                                limits.maxOpenRecordings(), 60, 9, limits.maxReorderBufferBytes()));
        assertThat(parsed.restarts())
                .isEqualTo(new PipelineDefinition.RestartDefinition(4, 1_000, 60_000, 5_000));
        assertThatThrownBy(() -> PipelineParser.TOP_KEYS.add("paralelism"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void substitutesVariablesInValuesButNeverInStructure() {
        Problems problems = new Problems();
        String yaml =
                "name: ${NAME}\nversion: 1.0.0\nstages:\n  - name: decode\n    processor: decode\n";
        PipelineDefinition parsed =
                new PipelineParser(new EnvSubstitution(Map.of("NAME", "x\nstages: []")))
                        .parse(yaml.getBytes(), "env.yaml", problems)
                        .orElseThrow();
        assertThat(parsed.name()).isEqualTo("x\nstages: []");
        assertThat(parsed.stages()).hasSize(1);
    }

    @Test
    void reportsEveryStructuralProblemInOnePass() {
        Problems problems = new Problems();
        String yaml =
                "name: p\nversion: 1.0.0\ncolour: red\nstages:\n  - name: decode\n    procesor: decode\n  - name: t\n    processor: temporal\n    parallelism: 0\n";
        new PipelineParser(new EnvSubstitution(Map.of()))
                .parse(yaml.getBytes(), "p.yaml", problems);
        assertThat(problems.errors())
                .extracting(p -> p.at().line() + ": " + p.message())
                .containsExactly(
                        "3: unknown key `colour` in the pipeline",
                        "5: `processor` is required in stage `decode`",
                        "6: unknown key `procesor` in stage `decode`",
                        "9: `parallelism` of stage `t` must be between 1 and 32768, got 0");
        assertThat(problems.errors().get(2).fix()).startsWith("did you mean `processor`?");
    }
}
