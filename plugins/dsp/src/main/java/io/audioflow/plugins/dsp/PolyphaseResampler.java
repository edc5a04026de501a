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

    private final PolyphaseFilter filter;
    private final int up;
    private final int down;
    private final int taps;

    private double[] history = new double[0]; // input samples from index historyStart on
    private long historyStart;
    private long inputCount;
    private long nextOutput;

    PolyphaseResampler(PolyphaseFilter filter) {
        this.filter = filter;
        this.up = filter.up;
        this.down = filter.down;
        this.taps = filter.taps;
    }

    boolean identity() {
        return filter.identity();
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
            float[] h = filter.coefficients(phase);
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
