package io.audioflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginContractTest {

    @Test
    void pluginInfoDefaultsToTheCurrentSpiMajorVersion() {
        PluginInfo info = PluginInfo.builder("my-stage", "1.2.3", StageKind.ANALYZER).build();
        assertThat(info.spiRange().matches(Spi.VERSION)).isTrue();
        assertThat(info.spiRange().matches(SemVer.of(Spi.VERSION.major() + 1, 0, 0))).isFalse();
        assertThat(info.coordinates()).isEqualTo("my-stage@1.2.3");
    }

    @Test
    void aPluginRestoresTheStateOfItsOwnMajorVersionUnlessItSaysOtherwise() {
        StagePlugin plugin =
                () -> PluginInfo.builder("my-stage", "2.3.1", StageKind.ANALYZER).build();
        assertThat(plugin.restoresStateOf().matches(SemVer.of(2, 0, 0))).isTrue();
        assertThat(plugin.restoresStateOf().matches(SemVer.of(2, 9, 4))).isTrue();
        assertThat(plugin.restoresStateOf().matches(SemVer.of(1, 9, 0))).isFalse();
        assertThat(plugin.restoresStateOf().matches(SemVer.of(3, 0, 0))).isFalse();
    }

    @Test
    void pluginAndMetricNamesFollowTheKeyConventions() {
        assertThatThrownBy(() -> PluginInfo.builder("MyStage", "1.0.0", StageKind.ANALYZER).build())
                .hasMessageContaining("lower-kebab-case");
        assertThatThrownBy(() -> new MetricDefinition("Peak dB", Unit.DB, ""))
                .hasMessageContaining("snake_case");
    }

    @Test
    void stageConfigFillsDefaultsAndKeepsGivenValues() {
        List<ConfigOption> options =
                List.of(
                        ConfigOption.number("threshold", 0.5, 0.0, 1.0, ""),
                        ConfigOption.bool("enabled", true, ""));
        StageConfig config = StageConfig.withDefaults(Map.of("threshold", 0.8), options);
        assertThat(config.getDouble("threshold")).isEqualTo(0.8);
        assertThat(config.getBoolean("enabled")).isTrue();
    }

    @Test
    void aMissingRequiredConfigValueIsAValidationErrorWithItsCode() {
        assertThatThrownBy(() -> StageConfig.empty().getInt("sample_rate"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("`sample_rate` is required")
                .extracting(e -> ((ValidationException) e).code())
                .isEqualTo(ErrorCode.INVALID_CONFIG);
    }

    @Test
    void failedOutcomesCarryTheStableCodeOfTheError() {
        StageOutcome.Failed<Object> failed =
                StageOutcome.Failed.of(
                        new StageExecutionException(ErrorCode.TOO_LARGE, "too long"));
        assertThat(failed.code().code()).isEqualTo("too_large");
        assertThat(StageOutcome.Failed.of(new IllegalStateException()).code())
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void errorCodesAreSnakeCaseAndUnique() {
        assertThat(ErrorCode.values())
                .extracting(ErrorCode::code)
                .allMatch(c -> c.matches("[a-z]+(_[a-z]+)*"))
                .doesNotHaveDuplicates();
    }

    @Test
    void theMostSevereVerdictWins() {
        assertThat(Verdict.ACCEPT.worst(Verdict.ENHANCE)).isEqualTo(Verdict.ENHANCE);
        assertThat(Verdict.REJECT.worst(Verdict.ENHANCE)).isEqualTo(Verdict.REJECT);
        assertThat(Verdict.parse(" Reject ")).isEqualTo(Verdict.REJECT);
    }
}
