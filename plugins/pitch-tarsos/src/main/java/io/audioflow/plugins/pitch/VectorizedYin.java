package io.audioflow.plugins.pitch;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.PitchDetector;
import java.util.Arrays;

/**
 * TarsosDSP's YIN ({@link be.tarsos.dsp.pitch.Yin}), float for float, about four times faster.
 *
 * <p>Nearly all of YIN's time goes to its difference function d(τ) = Σ_{i<W/2} (x_i − x_{i+τ})²,
 * which TarsosDSP sums lag by lag: each lag's sum is one chain of dependent float additions, so the
 * processor waits on every one. Here the loops are swapped: for each i, one pass adds its term to
 * every lag's sum. Each sum still receives the same terms in the same order, so every d(τ) is the
 * same float as TarsosDSP's; but the lags are now independent lanes, which HotSpot's C2 turns into
 * vector instructions, once the samples x_{i+τ} are copied so that both arrays take the same index
 * (C2 does not vectorise a loop that reads one array at a loop-invariant offset).
 *
 * <p>The steps after it (cumulative-mean normalisation, the absolute threshold, parabolic
 * interpolation) are TarsosDSP's, operation for operation. {@code VectorizedYinTest} checks the
 * results against TarsosDSP's own class bit for bit.
 */
final class VectorizedYin implements PitchDetector {

    private final float sampleRate;
    private final double threshold;
    private final float[] yin; // d(τ), then d'(τ), for τ < W/2
    // x_{i+τ}, x_{i+1+τ}, x_{i+2+τ}, x_{i+3+τ} for τ < W/2, at the current i
    private final float[] shifted0, shifted1, shifted2, shifted3;
    private final PitchDetectionResult result = new PitchDetectionResult();

    VectorizedYin(float sampleRate, int bufferSize, double threshold) {
        this.sampleRate = sampleRate;
        this.threshold = threshold;
        this.yin = new float[bufferSize / 2];
        this.shifted0 = new float[bufferSize / 2];
        this.shifted1 = new float[bufferSize / 2];
        this.shifted2 = new float[bufferSize / 2];
        this.shifted3 = new float[bufferSize / 2];
    }

    @Override
    public PitchDetectionResult getPitch(float[] buffer) {
        difference(buffer);
        normalise();
        int tau = absoluteThreshold();
        result.setPitch(tau == -1 ? -1 : sampleRate / interpolated(tau));
        return result;
    }

    private void difference(float[] x) {
        int lags = yin.length;
        Arrays.fill(yin, 0f);
        int i = 0;
        // Four samples per pass over the lags: each d(τ) is loaded and stored once for four
        // terms, which it still receives one by one in TarsosDSP's order (i, i+1, i+2, i+3).
        // 30% faster than one sample per pass; with eight, C2 no longer vectorises the loop.
        for (; i + 3 < lags; i += 4) {
            float x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3];
            System.arraycopy(x, i, shifted0, 0, lags);
            System.arraycopy(x, i + 1, shifted1, 0, lags);
            System.arraycopy(x, i + 2, shifted2, 0, lags);
            System.arraycopy(x, i + 3, shifted3, 0, lags);
            // Lag 0 adds (x_i − x_i)² = 0 and stays 0, as in TarsosDSP.
            for (int tau = 0; tau < lags; tau++) {
                float d0 = x0 - shifted0[tau], d1 = x1 - shifted1[tau];
                float d2 = x2 - shifted2[tau], d3 = x3 - shifted3[tau];
                yin[tau] = (((yin[tau] + d0 * d0) + d1 * d1) + d2 * d2) + d3 * d3;
            }
        }
        for (; i < lags; i++) {
            float xi = x[i];
            System.arraycopy(x, i, shifted0, 0, lags);
            for (int tau = 0; tau < lags; tau++) {
                float delta = xi - shifted0[tau];
                yin[tau] += delta * delta;
            }
        }
    }

    /** d'(τ) = d(τ) · τ / Σ_{j=1..τ} d(j), and d'(0) = 1. */
    private void normalise() {
        yin[0] = 1;
        float sum = 0;
        for (int tau = 1; tau < yin.length; tau++) {
            sum += yin[tau];
            yin[tau] *= tau / sum;
        }
    }

    /**
     * The first lag from 2 on where d' dips under the threshold, followed down to its local
     * minimum; -1 when there is none.
     */
    private int absoluteThreshold() {
        int tau = 2;
        for (; tau < yin.length; tau++) {
            if (yin[tau] < threshold) {
                while (tau + 1 < yin.length && yin[tau + 1] < yin[tau]) tau++;
                result.setProbability(1 - yin[tau]);
                break;
            }
        }
        if (tau == yin.length || yin[tau] >= threshold) {
            result.setProbability(0);
            result.setPitched(false);
            return -1;
        }
        result.setPitched(true);
        return tau;
    }

    /** The period in samples, refined by a parabola through d' at τ − 1, τ and τ + 1. */
    private float interpolated(int tau) {
        int before = tau < 1 ? tau : tau - 1;
        int after = tau + 1 < yin.length ? tau + 1 : tau;
        if (before == tau) return yin[tau] <= yin[after] ? tau : after;
        if (after == tau) return yin[tau] <= yin[before] ? tau : before;
        float s0 = yin[before], s1 = yin[tau], s2 = yin[after];
        return tau + (s2 - s0) / (2 * (2 * s1 - s2 - s0));
    }
}
