package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.pipeline.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under test-data/pipelines/invalid states the problems it must produce in its first
 * lines ({@code # expect: LINE:COL message}); validation must report each at that position.
 */
class InvalidPipelinesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+) (.+)");

    static Stream<Path> invalidPipelines() throws IOException {
        return Files.list(ROOT.resolve("test-data/pipelines/invalid"))
                .filter(p -> p.toString().endsWith(".yaml"))
                .sorted();
    }

    static PipelineLoader.Result load(Path file) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of()).load(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPipelines")
    void isRejectedWithTheExpectedMessageAtTheExpectedPosition(Path file) throws IOException {
        List<String> expectations =
                Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect:")).toList();
        assertThat(expectations).as("the fixture states what it expects").isNotEmpty();
        PipelineLoader.Result result = load(file);
        assertThat(result.pipeline()).isEmpty();
        for (String expectation : expectations) {
            Matcher m = EXPECT.matcher(expectation);
            assertThat(m.matches()).as(expectation).isTrue();
            assertThat(result.problems().errors())
                    .as("problems of %s", file.getFileName())
                    .anySatisfy(
                            p -> {
                                assertThat(p.at().line()).isEqualTo(Integer.parseInt(m.group(1)));
                                assertThat(p.at().column()).isEqualTo(Integer.parseInt(m.group(2)));
                                assertThat(p.message()).contains(m.group(3));
                                assertThat(p.at().file()).endsWith(file.getFileName().toString());
                            });
        }
        assertThat(result.problems().errors())
                .allSatisfy(p -> assertThat(p.fix()).as("fix for: " + p.message()).isNotBlank());
    }

    @Test
    void coversAtLeastFifteenClassesOfError() throws IOException {
        assertThat(invalidPipelines().count()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void theDefaultPipelineIsValidAndIsARealDag() {
        PipelineLoader.Result result = load(ROOT.resolve("config/pipeline.yaml"));
        assertThat(result.problems().all()).isEmpty();
        ValidatedPipeline p = result.pipeline().orElseThrow();
        assertThat(p.graph().downstreamOf("decode"))
                .containsExactly("temporal", "loudness", "preprocess");
        assertThat(p.graph().upstreamOf("decision")).hasSizeGreaterThan(1);
        assertThat(p.stage("preprocess").output())
                .isEqualTo(new io.audioflow.api.StreamFormat(16_000, 1));
        assertThat(p.configSha256()).hasSize(64);
    }

    @Test
    void aConfigProblemsFixSaysWhatToWrite() {
        Problems problems =
                new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                        .load(
                                ("name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n"
                                                + "  - {name: level, processor: temporal, dependencies: [decode],"
                                                + " config: {clip_level: 7}}\n")
                                        .getBytes(),
                                "x.yaml",
                                new Problems())
                        .problems();
        assertThat(problems.errors())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.message()).contains("`clip_level` of stage `level`");
                            assertThat(p.fix())
                                    .startsWith("write `clip_level: ")
                                    .contains("within");
                        });
    }

    @Test
    void theDigestIgnoresFormattingButNotContent() {
        String a = "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode}\n";
        String b =
                "# comment\nname: p\nversion: 1.0.0\nstages:\n  - name: decode\n    processor: decode\n    config: {max_duration_s: 604800}\n";
        String c =
                "name: p\nversion: 1.0.0\nstages:\n  - {name: decode, processor: decode, config: {max_duration_s: 60}}\n";
        assertThat(digest(a)).isEqualTo(digest(b)).isNotEqualTo(digest(c));
    }

    private static String digest(String yaml) {
        return new PipelineLoader(PluginRegistry.builtIn(), Map.of())
                .load(yaml.getBytes(), "x.yaml", new Problems())
                .pipeline()
                .orElseThrow()
                .configSha256();
    }
}
