package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** config/pipeline.schema.json is what editors complete from: it must say what the parser reads. */
class PipelineSchemaTest {

    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schema() throws IOException {
        return JSON.readTree(ROOT.resolve("config/pipeline.schema.json").toFile());
    }

    private static List<String> keys(JsonNode properties) {
        List<String> keys = new ArrayList<>();
        properties.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void declaresExactlyTheKeysTheParserAccepts() throws IOException {
        JsonNode s = schema();
        assertThat(keys(s.path("properties")))
                .containsExactlyInAnyOrderElementsOf(PipelineParser.TOP_KEYS);
        JsonNode stage = s.path("definitions").path("stage").path("properties");
        assertThat(keys(stage)).containsExactlyInAnyOrderElementsOf(PipelineParser.STAGE_KEYS);
        assertThat(keys(s.path("properties").path("kafka").path("properties")))
                .containsExactlyInAnyOrderElementsOf(PipelineParser.KAFKA_KEYS);
        assertThat(
                        keys(
                                s.path("properties")
                                        .path("kafka")
                                        .path("properties")
                                        .path("topics")
                                        .path("properties")))
                .containsExactlyInAnyOrderElementsOf(PipelineParser.TOPIC_KEYS);
        assertThat(keys(s.path("properties").path("checkpointing").path("properties")))
                .containsExactlyInAnyOrderElementsOf(PipelineParser.CHECKPOINT_KEYS);
        assertThat(keys(s.path("properties").path("plugins").path("properties")))
                .containsExactlyInAnyOrderElementsOf(PipelineParser.PLUGIN_KEYS);
        assertThat(keys(stage.path("error_handling").path("oneOf").get(1).path("properties")))
                .containsExactlyInAnyOrderElementsOf(PipelineParser.ERROR_KEYS);
    }

    @Test
    void theDefaultPipelineConformsAndPointsEditorsAtTheSchema() throws IOException {
        String yaml = Files.readString(ROOT.resolve("config/pipeline.yaml"));
        assertThat(yaml.lines().findFirst())
                .contains("# yaml-language-server: $schema=./pipeline.schema.json");
        assertThat(validate(yaml)).isEmpty();
    }

    @Test
    void theSchemaRejectsWhatTheParserRejectsStructurally() throws IOException {
        try (Stream<String> names =
                Stream.of(
                        "01-unknown-top-level-key.yaml",
                        "02-unknown-stage-key.yaml",
                        "03-missing-processor.yaml",
                        "11-negative-parallelism.yaml",
                        "14-bad-error-handling-mode.yaml")) {
            for (String name : names.toList()) {
                String yaml = Files.readString(ROOT.resolve("test-data/pipelines/invalid/" + name));
                assertThat(validate(yaml)).as(name).isNotEmpty();
            }
        }
    }

    private static Set<ValidationMessage> validate(String yaml) throws IOException {
        Object data = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema());
        return schema.validate(JSON.valueToTree(data));
    }
}
