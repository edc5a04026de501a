package io.audioflow.plugins.pitch;

import be.tarsos.dsp.util.fft.FloatFFT;
import java.util.Arrays;

/**
 * Tells, before TarsosDSP's YIN runs, that a frame cannot be voiced, so that YIN (quadratic in the
 * frame, with one dependent float addition per term) runs only where it can find a pitch. YIN
 * reports a pitch only where its cumulative-mean-normalised difference d'(τ) = τ·d(τ) / Σ_{j=1..τ}
 * d(j) falls below its threshold for some lag τ ≥ 2, with d(τ) = Σ_{j<W/2} (x_j − x_{j+τ})². Here
 * d(τ) = Σ x_j² + Σ x_{j+τ}² − 2·c(τ), with the cross-correlation c from three FFTs of the frame's
 * size: about a quarter of YIN's time.
 *
 * <p>A frame is ruled out only when every lag clears the threshold even after this computation's
 * error (float FFTs: allowed {@link #FFT_ERROR} of the frame's energy, which the tests check is
 * over ten times the largest error seen) and TarsosDSP's own float rounding (under 3e-5 relative,
 * allowed 1e-4) both go against it; anything closer runs YIN. So the pitch track is YIN's own,
 * frame for frame.
 */
final class UnvoicedScreen {

    static final double FFT_ERROR = 1e-3;
    private static final double THEIR_ERROR = 1e-4;

    private final int lags; // W/2: YIN's lags, and the length of each difference
    private final int size; // the FFT length: the frame's, rounded up to a power of two
    private final double threshold;
    private final FloatFFT fft;
    private final float[] head; // the first W/2 samples, zero-padded
    private final float[] whole;
    private final double[] squares; // prefix sums of x²
    private final double[] difference; // d(τ), τ < W/2

    UnvoicedScreen(int frame, double threshold) {
        this.lags = frame / 2;
        this.size = Integer.highestOneBit(frame - 1) << 1;
        this.threshold = threshold * (1 + THEIR_ERROR);
        fft = new FloatFFT(size);
        head = new float[size];
        whole = new float[size];
        squares = new double[frame + 1];
        difference = new double[lags];
    }

    boolean cannotBeVoiced(float[] x) {
        double[] d = differences(x);
        double error = FFT_ERROR * energy() + Double.MIN_NORMAL;
        double sum = 0; // Σ_{j=1..τ} d(j), at its largest
        for (int tau = 1; tau < lags; tau++) {
            sum += d[tau] + error;
            // The smallest d'(τ) the exact computation could give.
            if (tau >= 2 && !(tau * (d[tau] - error) >= threshold * sum)) return false;
        }
        return true;
    }

    /** YIN's d(τ) for τ < W/2 (d(0) = 0), in a buffer the next call overwrites. */
    double[] differences(float[] x) {
        int used = 2 * lags; // YIN reads x[0 .. W/2 + W/2 - 2]
        for (int i = 0; i < used; i++) squares[i + 1] = squares[i] + (double) x[i] * x[i];
        System.arraycopy(x, 0, head, 0, lags);
        Arrays.fill(head, lags, size, 0f);
        System.arraycopy(x, 0, whole, 0, used);
        Arrays.fill(whole, used, size, 0f);
        fft.realForward(head);
        fft.realForward(whole);
        // conj(head) · whole, in JTransforms' packing: [Re 0, Re n/2, Re 1, Im 1, ...].
        whole[0] *= head[0];
        whole[1] *= head[1];
        for (int k = 2; k < size; k += 2) {
            float ar = head[k], ai = head[k + 1], br = whole[k], bi = whole[k + 1];
            whole[k] = ar * br + ai * bi;
            whole[k + 1] = ar * bi - ai * br;
        }
        fft.realInverse(whole, true); // whole[τ] = Σ_{j<W/2} x_j·x_{j+τ}: no wrap-around
        for (int tau = 1; tau < lags; tau++)
            difference[tau] =
                    squares[lags] + (squares[tau + lags] - squares[tau]) - 2.0 * whole[tau];
        return difference;
    }

    /** Σ x² over the samples YIN reads, of the frame {@link #differences} last saw. */
    double energy() {
        return squares[2 * lags];
    }
}
