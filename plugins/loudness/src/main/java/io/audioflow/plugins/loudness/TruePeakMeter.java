package io.audioflow.plugins.loudness;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * BS.1770 Annex 2 true peak: the signal oversampled (4x below 96 kHz, 2x below 192 kHz) by a
 * windowed-sinc interpolator, and the largest absolute value of samples and interpolated points.
 */
final class TruePeakMeter {

    private static final int TAPS = 12; // per phase: 48 taps at 4x, as in the Recommendation
    private static final double KAISER_BETA = 6.0;

    private final int factor;
    private final float[][] phases; // [phase][tap]
    private final float[][] history; // [channel][TAPS], newest at index (pos - 1)
    private int pos;
    private double peak;

    TruePeakMeter(int sampleRate, int channels) {
        factor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 1;
        phases = new float[factor][TAPS];
        double delay = TAPS / 2.0 - 0.5;
        for (int p = 0; p < factor; p++) {
            for (int k = 0; k < TAPS; k++) {
                double d = k - delay + (double) p / factor;
                phases[p][k] = (float) (sinc(d) * kaiser(d / (TAPS / 2.0)));
            }
        }
        history = new float[channels][TAPS];
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

    /** Feeds one frame (interleaved samples {@code x[offset..offset+channels)}). */
    void accept(float[] x, int offset) {
        int channels = history.length;
        double pk = peak;
        for (int c = 0; c < channels; c++) {
            float v = x[offset + c];
            float[] h = history[c];
            h[pos] = v;
            double a = Math.abs(v);
            if (a > pk) pk = a;
            if (factor > 1) {
                for (int p = 0; p < factor; p++) {
                    float[] coef = phases[p];
                    double acc = 0;
                    int idx = pos;
                    for (int k = 0; k < TAPS; k++) {
                        acc += coef[k] * h[idx];
                        idx = idx == 0 ? TAPS - 1 : idx - 1;
                    }
                    a = Math.abs(acc);
                    if (a > pk) pk = a;
                }
            }
        }
        peak = pk;
        pos = pos == TAPS - 1 ? 0 : pos + 1;
    }

    double peak() {
        return peak;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeDouble(peak);
        out.writeInt(pos);
        for (float[] h : history) for (float v : h) out.writeFloat(v);
    }

    void readFrom(DataInput in) throws IOException {
        peak = in.readDouble();
        pos = in.readInt();
        for (float[] h : history) for (int i = 0; i < TAPS; i++) h[i] = in.readFloat();
    }
}
