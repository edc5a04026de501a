package io.audioflow.plugins.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoudnessHistogramTest {

    /** Block energies whose loudness wanders over most of the range, both ways, in steps. */
    private static List<Double> wanderingBlocks() {
        Random random = new Random(1770);
        List<Double> energies = new ArrayList<>();
        double lufs = -23;
        for (int i = 0; i < 5_000; i++) {
            lufs = Math.max(-75, Math.min(35, lufs + random.nextGaussian() * 4));
            energies.add(LoudnessHistogram.energy(lufs));
        }
        return energies;
    }

    /** What the histogram stands for: the mean energy of every block at or above the gate's bin. */
    private static double directGatedLoudness(List<Double> energies, double gate) {
        double floor = Math.floor((gate + 70) / 0.1);
        long n = 0;
        double e = 0;
        for (double energy : energies) {
            double l = LoudnessHistogram.loudness(energy);
            if (!(l > LoudnessHistogram.MIN_LUFS)) continue;
            if (Math.min(999, Math.floor((l + 70) / 0.1)) >= floor) {
                n++;
                e += energy;
            }
        }
        return n == 0 ? Double.NaN : LoudnessHistogram.loudness(e / n);
    }

    @Test
    void keepsOnlyTheBinsItReachedAndGatesAsIfItKeptAll() {
        List<Double> blocks = wanderingBlocks();
        LoudnessHistogram h = new LoudnessHistogram();
        blocks.forEach(h::add);
        for (double gate : new double[] {-70, -50, -31.7, -23, -10, 0, 29.95}) {
            assertThat(h.gatedLoudness(gate))
                    .as("gate %s", gate)
                    .isCloseTo(directGatedLoudness(blocks, gate), within(1e-9));
        }
    }

    @Test
    void readsBackWhatItWroteWithTheSameGatesAndPercentiles() throws IOException {
        LoudnessHistogram h = new LoudnessHistogram();
        wanderingBlocks().forEach(h::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.writeTo(new DataOutputStream(bytes));
        LoudnessHistogram back = new LoudnessHistogram();
        back.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (double gate : new double[] {-70, -40, -20, 10}) {
            assertThat(back.gatedLoudness(gate)).isEqualTo(h.gatedLoudness(gate));
            assertThat(back.percentile(gate, 0.95)).isEqualTo(h.percentile(gate, 0.95));
        }
        assertThat(new LoudnessHistogram().isEmpty()).isTrue();
        assertThat(back.isEmpty()).isFalse();
    }
}
