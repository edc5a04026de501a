package io.audioflow.plugins.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.testing.Feeding;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WadaSnrTest {

    private static final AudioFormat MONO = new AudioFormat(16_000, 1);
    private final WadaSnr wada = new WadaSnr();

    /** Gamma(k) variate for k < 1 (Marsaglia and Tsang with the k+1 boost). */
    private static double gamma(Random r, double k) {
        double d = k + 1 - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        double v;
        while (true) {
            double x = r.nextGaussian();
            v = Math.pow(1 + c * x, 3);
            if (v > 0 && Math.log(r.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v))
                break;
        }
        return d * v * Math.pow(r.nextDouble(), 1 / k);
    }

    /**
     * The estimator's own model of speech: Gamma(0.4) amplitudes with random signs, mixed with
     * white Gaussian noise scaled to the target SNR. (Synthetic speech with long digital pauses
     * makes the estimate run high at 20 dB and above; real speech is checked in
     * WadaRealSpeechTest.)
     */
    private static float[] speechInNoise(double snrDb, long seed) {
        Random r = new Random(seed);
        int n = 16_000 * 10;
        double[] clean = new double[n];
        double power = 0;
        for (int i = 0; i < n; i++) {
            clean[i] = gamma(r, 0.4) * (r.nextBoolean() ? 1 : -1);
            power += clean[i] * clean[i];
        }
        double noiseRms = Math.sqrt(power / n / Math.pow(10, snrDb / 10));
        double scale = 0.1;
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = (float) (scale * (clean[i] + noiseRms * r.nextGaussian()));
        return x;
    }

    @ParameterizedTest(name = "{0} dB")
    @ValueSource(ints = {0, 5, 10, 20, 30})
    void estimatesKnownSnrsWithinTwoDb(int snr) {
        double estimate = Feeding.analyze(wada, MONO, speechInNoise(snr, snr)).get("wada_db");
        assertThat(estimate).isCloseTo(snr, within(2.0));
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 1000, 16_000})
    void givesTheSameEstimateWhateverTheChunking(int blockFrames) {
        float[] x = speechInNoise(12, 3);
        Map<String, Double> whole =
                Feeding.analyze(wada, MONO, StageConfig.empty(), x, x.length, false);
        Map<String, Double> chunked =
                Feeding.analyze(wada, MONO, StageConfig.empty(), x, blockFrames, true);
        assertThat(chunked.get("wada_db")).isCloseTo(whole.get("wada_db"), within(1e-6));
    }

    @ParameterizedTest(name = "G {0}")
    @ValueSource(doubles = {0.1, 0.40974774, 2.0})
    void clampsToTheTable(double g) {
        assertThat(WadaSnr.snrFromG(g)).isBetween(-20.0, 100.0);
        assertThat(WadaSnr.snrFromG(2.0)).isEqualTo(100.0);
        assertThat(WadaSnr.snrFromG(0.1)).isEqualTo(-20.0);
    }
}
