package io.audioflow.plugins.dsp;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Band-limited rational resampler for one channel: a Kaiser-windowed sinc evaluated at the L phases
 * of the ratio out/in = L/M, applied as a polyphase filter. Streaming: it keeps only the last
 * filter-length input samples between calls, so its state is bounded.
 */
final class PolyphaseResampler {

    private static final int ZERO_CROSSINGS = 16;
    private static final double KAISER_BETA = 8.6;
    private static final int MAX_TABLE_PHASES = 4096;

    private final int up; // L
    private final int down; // M
    private final int taps; // K, even
    private final float[][] table; // [phase][tap], null when L is too large to tabulate
    private final double cutoff;

    private double[] history = new double[0]; // input samples from index historyStart on
    private long historyStart;
    private long inputCount;
    private long nextOutput;

    PolyphaseResampler(int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        // A little below the lower Nyquist frequency, so the transition band does not alias.
        this.cutoff = Math.min(1.0, (double) up / down) * 0.94;
        this.taps = 2 * (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        if (up <= MAX_TABLE_PHASES) {
            table = new float[up][];
            for (int p = 0; p < up; p++) table[p] = coefficients((double) p / up);
        } else {
            table = null;
        }
    }

    boolean identity() {
        return up == down;
    }

    /** Coefficients for an output that falls {@code frac} of an input period after sample i. */
    private float[] coefficients(double frac) {
        float[] h = new float[taps];
        int half = taps / 2;
        for (int k = 0; k < taps; k++) {
            // tap k multiplies x[i - half + 1 + k]; its distance from the output instant:
            double d = frac + half - 1 - k;
            h[k] = (float) (cutoff * sinc(cutoff * d) * kaiser(d / half));
        }
        return h;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) return 1.0;
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private static double kaiser(double x) {
        if (Math.abs(x) > 1) return 0;
        return besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / besselI0(KAISER_BETA);
    }

    private static double besselI0(double x) {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }

    /** Feeds input samples; returns the output samples that became computable. */
    float[] process(float[] in, int offset, int stride, int count) {
        appendHistory(in, offset, stride, count);
        return drain(false);
    }

    /** Flushes the filter tail: outputs up to the end of the input, as if zeros followed. */
    float[] finish() {
        return drain(true);
    }

    private void appendHistory(float[] in, int offset, int stride, int count) {
        int keep = history.length;
        double[] grown = Arrays.copyOf(history, keep + count);
        for (int i = 0; i < count; i++) grown[keep + i] = in[offset + i * stride];
        history = grown;
        inputCount += count;
    }

    private float[] drain(boolean flush) {
        int half = taps / 2;
        long totalOutputs = flush ? ceilDiv(inputCount * up, down) : Long.MAX_VALUE;
        int capacity = (int) Math.max(0, ((inputCount + half) * up) / down - nextOutput + 1);
        float[] out = new float[capacity];
        int produced = 0;
        while (nextOutput < totalOutputs) {
            long num = nextOutput * down;
            long i = num / up;
            int phase = (int) (num % up);
            if (!flush && i + half >= inputCount) break;
            float[] h = table != null ? table[phase] : coefficients((double) phase / up);
            double acc = 0;
            long first = i - half + 1;
            for (int k = 0; k < taps; k++) {
                long j = first + k;
                if (j >= historyStart && j < inputCount)
                    acc += h[k] * history[(int) (j - historyStart)];
            }
            if (produced == out.length) out = Arrays.copyOf(out, out.length * 2 + 1);
            out[produced++] = (float) acc; // the taps sum to one: unity gain at DC
            nextOutput++;
        }
        trimHistory();
        return produced == out.length ? out : Arrays.copyOf(out, produced);
    }

    private void trimHistory() {
        int half = taps / 2;
        long needFrom = (nextOutput * down) / up - half + 1;
        int drop = (int) Math.max(0, Math.min(history.length, needFrom - historyStart));
        if (drop > 0) {
            history = Arrays.copyOfRange(history, drop, history.length);
            historyStart += drop;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(historyStart);
        out.writeLong(inputCount);
        out.writeLong(nextOutput);
        out.writeInt(history.length);
        for (double v : history) out.writeDouble(v);
    }

    void readFrom(DataInput in) throws IOException {
        historyStart = in.readLong();
        inputCount = in.readLong();
        nextOutput = in.readLong();
        history = new double[in.readInt()];
        for (int i = 0; i < history.length; i++) history[i] = in.readDouble();
    }
}
