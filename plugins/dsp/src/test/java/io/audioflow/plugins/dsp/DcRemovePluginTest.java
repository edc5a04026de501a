package io.audioflow.plugins.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.testing.Feeding;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DcRemovePluginTest {

    private final DcRemovePlugin plugin = new DcRemovePlugin();
    private final StageContext context =
            StageContext.of("dc", StageConfig.withDefaults(Map.of(), plugin.info().options()));

    private float[] run(AudioFormat format, float[] x, int blockFrames) {
        return Feeding.process(plugin, format, context, x, blockFrames).samples();
    }

    @Test
    void removesTheOffsetAndKeepsATone() throws Exception {
        AudioFormat stereo = new AudioFormat(16_000, 2);
        float[] x = Feeding.sine(stereo, 4.0, 440, 0.5);
        for (int i = 0; i < x.length; i++) x[i] += i % 2 == 0 ? 0.2f : -0.1f;
        float[] y = run(stereo, x, 1000);
        double mean = 0, ss = 0;
        int from = 2 * 16_000; // after the filter has settled (time constant 32 ms)
        for (int i = from; i < y.length; i += 2) {
            mean += y[i];
            ss += (double) y[i] * y[i];
        }
        int n = (y.length - from) / 2;
        assertThat(mean / n).isCloseTo(0, within(1e-3));
        assertThat(10 * Math.log10(ss / n))
                .isCloseTo(20 * Math.log10(0.5 / Math.sqrt(2)), within(0.05));
    }

    @Test
    void givesTheSameOutputWhateverTheBlockSize() throws Exception {
        AudioFormat mono = new AudioFormat(8000, 1);
        float[] x = Feeding.sine(mono, 1.0, 100, 0.3);
        for (int i = 0; i < x.length; i++) x[i] += 0.05f;
        assertThat(run(mono, x, 1)).isEqualTo(run(mono, x, x.length));
    }
}
