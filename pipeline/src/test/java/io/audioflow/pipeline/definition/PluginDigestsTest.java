package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.pipeline.plugin.PluginRegistry;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pinned digests are text whatever YAML would make of them, and a bad one is never skipped. */
class PluginDigestsTest {

    private static final String ZEROS = "0".repeat(64);
    private static final String DIGITS = "1234567890".repeat(6) + "1234";

    /** Digests, comma-separated, written as a block list without quotes. */
    private static String pipeline(String digests) {
        StringBuilder list = new StringBuilder();
        for (String d : digests.split(", ")) list.append("    - ").append(d).append('\n');
        return "name: p\nversion: 1.0.0\nplugins:\n  allowed_sha256:\n"
                + list
                + "stages:\n  - {name: decode, processor: decode}\n";
    }

    @Test
    void digestsOfDigitsAreReadAsWritten() {
        Problems problems = new Problems();
        Optional<PipelineDefinition> parsed =
                new PipelineParser(new EnvSubstitution(Map.of("PIN", DIGITS)))
                        .parse(pipeline(ZEROS + ", ${PIN}").getBytes(), "p.yaml", problems);
        assertThat(problems.all()).isEmpty();
        assertThat(parsed.orElseThrow().allowedPluginSha256()).containsExactly(ZEROS, DIGITS);
    }

    @Test
    void aShortNumberIsRefusedAtItsLine() {
        Problems problems = new Problems();
        new PipelineParser(new EnvSubstitution(Map.of()))
                .parse(pipeline("0").getBytes(), "p.yaml", problems);
        assertThat(problems.errors())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.message()).isEqualTo("`0` is not a SHA-256 digest");
                            assertThat(p.at().line()).isEqualTo(5);
                        });
    }

    @Test
    void aBadDigestInTheEnvironmentFailsValidationInsteadOfTurningPinningOff() {
        var result =
                new PipelineLoader(
                                PluginRegistry.builtIn(),
                                Map.of("PLUGIN_ALLOWED_SHA256", ZEROS + ",abc123"))
                        .load(pipeline(ZEROS).getBytes(), "p.yaml", new Problems());
        assertThat(result.pipeline()).isEmpty();
        assertThat(result.problems().errors())
                .singleElement()
                .satisfies(
                        p ->
                                assertThat(p.message())
                                        .isEqualTo(
                                                "PLUGIN_ALLOWED_SHA256 holds `abc123`, which is not"
                                                        + " a SHA-256 digest"));
    }
}
