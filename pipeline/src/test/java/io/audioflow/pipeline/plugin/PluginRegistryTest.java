package io.audioflow.pipeline.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.PipelineException;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.SemVer;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.StagePlugin;
import io.audioflow.api.VersionConstraint;
import java.io.DataInput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    /** A minimal analyzer whose declared info is chosen by the test. */
    private record Declared(PluginInfo info) implements AudioAnalyzer {
        @Override
        public FormatRequirement accepts(StageConfig config) {
            return FormatRequirement.ANY;
        }

        @Override
        public Accumulator open(AudioFormat format, StageContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Accumulator restore(AudioFormat format, StageContext context, DataInput in) {
            throw new UnsupportedOperationException();
        }
    }

    private static StagePlugin analyzer(String name, String version, String spi) {
        return new Declared(
                PluginInfo.builder(name, version, StageKind.ANALYZER).spiRange(spi).build());
    }

    @Test
    void discoversTheBuiltInPluginsOnTheClassPath() {
        PluginRegistry registry = PluginRegistry.builtIn();
        assertThat(registry.names()).contains("decode", "temporal", "vad", "rules");
        assertThat(registry.rejected()).isEmpty();
    }

    @Test
    void refusesAPluginBuiltForAnotherSpiNamingBothVersions() {
        List<String> events = new ArrayList<>();
        LifecycleListener listener =
                new LifecycleListener() {
                    @Override
                    public void pluginRejected(String candidate, String source, String reason) {
                        events.add(reason);
                    }
                };
        PluginRegistry registry =
                PluginRegistry.of(
                        List.of(analyzer("future", "3.0.0", "^2.0")), List.of(), listener);
        assertThat(registry.plugins()).isEmpty();
        assertThat(registry.rejected())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.reason())
                                        .contains("future@3.0.0 supports SPI ^2.0")
                                        .contains("provides SPI " + io.audioflow.api.Spi.VERSION));
        assertThat(events).hasSize(1);
    }

    @Test
    void refusesAPluginWhoseKindDoesNotMatchItsInterface() {
        StagePlugin liar =
                new Declared(PluginInfo.builder("liar", "1.0.0", StageKind.DECISION).build());
        PluginRegistry registry =
                PluginRegistry.of(List.of(liar), List.of(), LifecycleListener.NONE);
        assertThat(registry.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("declares kind decision"));
    }

    @Test
    void picksTheNewestVersionThatSatisfiesTheConstraint() {
        PluginRegistry registry =
                PluginRegistry.of(
                        List.of(
                                analyzer("pitch", "1.4.0", "^1.0"),
                                analyzer("pitch", "2.1.0", "^1.0"),
                                analyzer("pitch", "1.9.2", "^1.0")),
                        List.of(),
                        LifecycleListener.NONE);
        assertThat(
                        registry.find("pitch", VersionConstraint.parse("^1.0"))
                                .orElseThrow()
                                .info()
                                .version())
                .isEqualTo(SemVer.parse("1.9.2"));
        assertThat(registry.find("pitch", VersionConstraint.ANY).orElseThrow().info().version())
                .isEqualTo(SemVer.parse("2.1.0"));
        assertThat(registry.find("pitch", VersionConstraint.parse(">=3"))).isEmpty();
        assertThat(registry.describeVersions("pitch"))
                .isEqualTo("pitch@2.1.0, pitch@1.9.2, pitch@1.4.0");
        assertThatThrownBy(() -> registry.require("pitch", SemVer.parse("1.5.0")))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("pitch@1.5.0 is not installed")
                .hasMessageContaining("pitch@2.1.0");
    }
}
