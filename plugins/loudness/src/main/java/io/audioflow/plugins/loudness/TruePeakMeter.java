package io.audioflow.plugins.loudness;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * BS.1770 Annex 2 true peak: the signal oversampled (4x below 96 kHz, 2x below 192 kHz) by a
 * windowed-sinc interpolator, and the largest absolute value of samples and interpolated points.
 */
final class TruePeakMeter {

    private static final int TAPS = 12; // per phase: 48 taps at 4x, as in the Recommendation
    private static final double KAISER_BETA = 6.0;
    private static final int STRETCH = 256; // points interpolated, or skipped, together
    private static final int PIECE = 32 * STRETCH; // frames filtered at once

    private final int factor;
    private final float[][] phases; // [phase][tap], oldest input first
    private final float[][] history; // [channel][TAPS], the latest inputs, oldest first
    private final double gain; // the largest sum of |taps| of a phase, with a margin
    private double peak;

    TruePeakMeter(int sampleRate, int channels) {
        factor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1;
        phases = new float[factor][TAPS];
        double delay = TAPS / 2.0 - 0.5;
        for (int p = 0; p < factor; p++) {
            for (int k = 0; k < TAPS; k++) {
                double d = k - delay + (double) p / factor;
                phases[p][TAPS - 1 - k] = (float) (sinc(d) * kaiser(d / (TAPS / 2.0)));
            }
        }
        double largest = 0;
        for (float[] coef : phases) {
            double sum = 0;
            for (float v : coef) sum += Math.abs(v);
            largest = Math.max(largest, sum);
        }
        gain = largest * (1 + 1e-4);
        history = new float[channels][TAPS];
    }

    /** Per phase, the taps over the inputs ending at the current one, oldest first. */
    float[][] coefficients() {
        float[][] copy = new float[factor][];
        for (int p = 0; p < factor; p++) copy[p] = phases[p].clone();
        return copy;
    }

    private static double sinc(double x) {
        return Math.abs(x) < 1e-12 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    private static double kaiser(double x) {
        return Math.abs(x) > 1
                ? 0
                : besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
    }

    private static double besselI0(double x) {
        double sum = 1, term = 1;
        for (int k = 1; k < 40; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    /**
     * Feeds a block of interleaved frames. No interpolated point exceeds the largest |input| in its
     * window times the sum of |taps| of its phase, so a stretch of the block whose inputs are too
     * quiet to beat the peak found so far is not interpolated at all: once a recording's peak is
     * known, most of it is skipped. The bound carries a margin far above float rounding, and every
     * point computed sums its taps in the same order, so the result does not depend on block
     * boundaries or on what was skipped.
     */
    void accept(float[] x) {
        int channels = history.length;
        int frames = x.length / channels;
        // In pieces, with scratch of this call's own: it stays small whatever the block size, and
        // the session, kept live between blocks for every open recording, holds only its state.
        // One channel, history then piece, in one array: a window never straddles the two, so the
        // inner loops have no boundary case. Costs one copy of the block per channel.
        float[] signal = new float[Math.min(PIECE, frames) + TAPS];
        float[] interpolated = new float[STRETCH];
        for (int from = 0; from < frames; from += PIECE)
            accept(x, from, Math.min(PIECE, frames - from), signal, interpolated);
    }

    /** Frames {@code first .. first + frames} of the interleaved block {@code x}. */
    private void accept(float[] x, int first, int frames, float[] signal, float[] interpolated) {
        int channels = history.length;
        int at = first * channels;
        float pk = (float) peak;
        for (int c = 0; c < channels; c++) {
            float[] h = history[c];
            System.arraycopy(h, 0, signal, 0, TAPS);
            if (channels == 1) System.arraycopy(x, at, signal, TAPS, frames);
            else for (int i = 0; i < frames; i++) signal[TAPS + i] = x[at + i * channels + c];
            if (factor == 1) pk = Math.max(pk, maxAbs(signal, TAPS, frames));
            // Point n filters the TAPS inputs up to input n: signal[n + 1 .. n + TAPS]. The
            // windows of a stretch cover its samples, so their largest |input| is also the sample
            // peak (the history they reach into was measured with its own block).
            for (int from = 0; factor > 1 && from < frames; from += STRETCH) {
                int length = Math.min(STRETCH, frames - from);
                float reach = maxAbs(signal, from + 1, length + TAPS - 1);
                pk = Math.max(pk, reach);
                if (reach * gain >= pk)
                    pk = Math.max(pk, interpolatedPeak(signal, interpolated, from, length));
            }
            System.arraycopy(signal, frames, h, 0, TAPS);
        }
        peak = pk;
    }

    private float interpolatedPeak(float[] signal, float[] interpolated, int from, int length) {
        float max = 0;
        for (float[] coef : phases) {
            Arrays.fill(interpolated, 0, length, 0f);
            for (int k = 0; k < TAPS; k++) {
                float ck = coef[k];
                int at = from + k + 1;
                for (int n = 0; n < length; n++) interpolated[n] += ck * signal[at + n];
            }
            max = Math.max(max, maxAbs(interpolated, 0, length));
        }
        return max;
    }

    private static float maxAbs(float[] v, int from, int length) {
        float max = 0;
        for (int i = from; i < from + length; i++) max = Math.max(max, Math.abs(v[i]));
        return max;
    }

    double peak() {
        return peak;
    }

    // The format of loudness 1.0.0's ring buffer: a position, then the ring, newest at
    // position - 1. The history is written as a ring at position 0, so states stay readable both
    // ways across versions.
    void writeTo(DataOutput out) throws IOException {
        out.writeDouble(peak);
        out.writeInt(0);
        for (float[] h : history) for (float v : h) out.writeFloat(v);
    }

    void readFrom(DataInput in) throws IOException {
        peak = in.readDouble();
        int pos = in.readInt();
        float[] ring = new float[TAPS];
        for (float[] h : history) {
            for (int i = 0; i < TAPS; i++) ring[i] = in.readFloat();
            for (int i = 0; i < TAPS; i++) h[i] = ring[(pos + i) % TAPS];
        }
    }
}
