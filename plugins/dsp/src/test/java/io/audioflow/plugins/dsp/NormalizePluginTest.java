package io.audioflow.plugins.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.testing.Feeding;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizePluginTest {

    private static final AudioFormat MONO = new AudioFormat(16_000, 1);
    private final NormalizePlugin plugin = new NormalizePlugin();

    private Feeding.Processed run(float[] x, int blockFrames, Map<String, Object> config) {
        Feeding.Processed out =
                Feeding.process(plugin, MONO, Feeding.context(plugin, config), x, blockFrames);
        assertThat(out.contiguous()).as("contiguous output").isTrue();
        return out;
    }

    private static double rmsDb(float[] x) {
        double sum = 0;
        for (float v : x) sum += (double) v * v;
        return 10 * Math.log10(sum / x.length);
    }

    @Test
    void aShortRecordingReachesTheTargetExactlyWhateverTheBlocks() throws Exception {
        float[] quiet = Feeding.sine(MONO, 2.0, 440, 0.01); // RMS -43.0 dBFS
        Feeding.Processed whole = run(quiet, quiet.length, Map.of());
        assertThat(rmsDb(whole.samples())).isCloseTo(-20.0, within(0.01));
        assertThat(whole.changes())
                .containsEntry("normalize_mode", "rms")
                .containsEntry("normalize_measured_dbfs", "-43.01")
                .containsEntry("normalize_gain_db", "23.01");
        for (int block : new int[] {7, 1000, 16_000}) {
            assertThat(run(quiet, block, Map.of()).samples())
                    .as("blocks of %d", block)
                    .isEqualTo(whole.samples());
        }
    }

    @Test
    void aLongRecordingKeepsTheGainMeasuredOnItsFirstWindow() throws Exception {
        float[] x = new float[16_000 * 8];
        float[] soft = Feeding.sine(MONO, 2.0, 440, 0.05);
        float[] loud = Feeding.sine(MONO, 6.0, 440, 0.4);
        System.arraycopy(soft, 0, x, 0, soft.length);
        System.arraycopy(loud, 0, x, soft.length, loud.length);
        Feeding.Processed n = run(x, 4000, Map.of("window_s", 2.0, "ceiling_dbfs", 0.0));
        // the gain fitted the soft start, and is kept (constant: no pumping) for the loud rest
        double gain = n.samples()[401] / (double) x[401];
        assertThat(20 * Math.log10(gain))
                .isCloseTo(Double.parseDouble(n.changes().get("normalize_gain_db")), within(0.005));
        for (int i = 0; i < x.length; i += 997)
            assertThat((double) n.samples()[i]).isCloseTo(x[i] * gain, within(1e-6));
        assertThat(rmsDb(Arrays.copyOf(n.samples(), soft.length))).isCloseTo(-20.0, within(0.01));
    }

    @Test
    void theCeilingAndTheGainCapWin() throws Exception {
        float[] spiky = Feeding.sine(MONO, 1.0, 440, 0.02);
        spiky[100] = 0.5f; // one click: raising RMS to -20 would push it far above -1 dBFS
        Feeding.Processed n = run(spiky, 512, Map.of());
        float peak = 0;
        for (float v : n.samples()) peak = Math.max(peak, Math.abs(v));
        assertThat(20 * Math.log10(peak)).isCloseTo(-1.0, within(0.01));

        float[] hiss = Feeding.sine(MONO, 1.0, 440, 1e-5);
        assertThat(run(hiss, 512, Map.of()).changes()).containsEntry("normalize_gain_db", "30.00");
    }

    @Test
    void peakModeTargetsTheSamplePeak() throws Exception {
        Feeding.Processed n =
                run(
                        Feeding.sine(MONO, 1.0, 440, 0.1),
                        300,
                        Map.of("mode", "peak", "target_dbfs", -3.0));
        float peak = 0;
        for (float v : n.samples()) peak = Math.max(peak, Math.abs(v));
        assertThat(20 * Math.log10(peak)).isCloseTo(-3.0, within(0.01));
    }
}
