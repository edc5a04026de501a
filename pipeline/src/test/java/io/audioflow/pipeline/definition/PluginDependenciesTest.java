package io.audioflow.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.LifecycleListener;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.StagePlugin;
import io.audioflow.api.Unit;
import io.audioflow.pipeline.plugin.LoadedPlugin;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.io.DataInput;
import java.io.DataOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plugins that need another plugin's product: installed, upstream, and not in a circle. */
class PluginDependenciesTest {

    /** An analyzer that declares what it needs and measures nothing. */
    private record Needy(String name, String... needs) implements AudioAnalyzer {
        @Override
        public PluginInfo info() {
            return PluginInfo.builder(name, "1.0.0", StageKind.ANALYZER)
                    .metrics(new MetricDefinition("x", Unit.COUNT, "nothing"))
                    .dependencies(needs)
                    .build();
        }

        @Override
        public FormatRequirement accepts(StageConfig config) {
            return FormatRequirement.ANY;
        }

        @Override
        public Accumulator open(AudioFormat format, StageContext context) {
            return new Accumulator() {
                @Override
                public void accept(AudioBlock block) {}

                @Override
                public List<QualityMetric> result() {
                    return List.of();
                }

                @Override
                public void writeTo(DataOutput out) {}
            };
        }

        @Override
        public Accumulator restore(AudioFormat format, StageContext context, DataInput in) {
            return open(format, context);
        }
    }

    private static PipelineLoader.Result load(String stages) {
        List<StagePlugin> plugins = new ArrayList<>();
        for (LoadedPlugin p : PluginRegistry.builtIn().plugins()) plugins.add(p.plugin());
        // Until stages share products (issue 3), what a plugin can need is audio an upstream
        // processor made: here, resampled audio.
        plugins.add(new Needy("contrast", "resample"));
        plugins.add(new Needy("ghostly", "nowhere"));
        plugins.add(new Needy("chicken", "egg"));
        plugins.add(new Needy("egg", "chicken"));
        PluginRegistry registry = PluginRegistry.of(plugins, List.of(), LifecycleListener.NONE);
        String yaml =
                "name: p\nversion: 1.0.0\nstages:\n"
                        + "  - {name: decode, processor: decode}\n"
                        + "  - {name: mono, processor: resample, dependencies: [decode],"
                        + " config: {sample_rate: 16000, channels: 1}}\n"
                        + stages;
        return new PipelineLoader(registry, Map.of())
                .load(yaml.getBytes(StandardCharsets.UTF_8), "p.yaml", new Problems());
    }

    private static List<String> errors(PipelineLoader.Result r) {
        return r.problems().errors().stream().map(Problem::toString).toList();
    }

    @Test
    void aNeededPluginUpstreamIsFine() {
        PipelineLoader.Result r =
                load("  - {name: contrast, processor: contrast, dependencies: [mono]}\n");
        assertThat(errors(r)).isEmpty();
        assertThat(r.pipeline()).isPresent();
    }

    @Test
    void theNeededPluginMustRunUpstreamNotMerelyInThePipeline() {
        // resample runs, but in a branch beside contrast, not before it
        PipelineLoader.Result r =
                load("  - {name: contrast, processor: contrast, dependencies: [decode]}\n");
        assertThat(errors(r))
                .singleElement()
                .asString()
                .contains(
                        "p.yaml:6:",
                        "stage `contrast` runs `contrast@1.0.0`, which needs the product of"
                                + " `resample`, but no stage upstream of `contrast` runs `resample`",
                        "list it (or a stage after it) in the `dependencies` of `contrast`");
    }

    @Test
    void aNeededPluginThatIsNotInstalledIsNamed() {
        assertThat(errors(load("  - {name: g, processor: ghostly, dependencies: [mono]}\n")))
                .singleElement()
                .asString()
                .contains("which needs plugin `nowhere`; it is not installed");
    }

    @Test
    void pluginsThatNeedEachOtherAreRefusedWithTheCircle() {
        assertThat(errors(load("  - {name: c, processor: chicken, dependencies: [mono]}\n")))
                .singleElement()
                .asString()
                .contains("plugins need each other in a circle: chicken -> egg -> chicken");
    }
}
