package io.audioflow.plugins.dsp;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Band-limited rational resampler for one channel: a Kaiser-windowed sinc evaluated at the L phases
 * of the ratio out/in = L/M, applied as a polyphase filter. Streaming: it keeps only the input
 * samples the next outputs still need (about one filter length), so its state is bounded and a
 * block is read where it lies instead of being copied into a growing history.
 *
 * <p>Every output is the same dot product over the same filter window whichever block boundary
 * falls inside it, so the output does not depend on how the input was cut into blocks.
 */
final class PolyphaseResampler {

    private static final float[] NO_INPUT = new float[0];

    private final PolyphaseFilter filter;
    private final int up;
    private final int down;
    private final int taps;
    private final int half;

    /** Input samples from index tailStart on that later outputs still need. */
    private float[] tail = new float[0];

    private long tailStart;
    private long inputCount;
    private long nextOutput;

    PolyphaseResampler(PolyphaseFilter filter) {
        this.filter = filter;
        this.up = filter.up;
        this.down = filter.down;
        this.taps = filter.taps;
        this.half = taps / 2;
    }

    boolean identity() {
        return filter.identity();
    }

    /** Feeds input samples; returns the output samples that became computable. */
    float[] process(float[] in, int offset, int stride, int count) {
        float[] block = in;
        int from = offset;
        if (stride != 1) {
            block = new float[count];
            for (int i = 0; i < count; i++) block[i] = in[offset + i * stride];
            from = 0;
        }
        long blockStart = inputCount;
        inputCount += count;
        long end = inputCount > half ? ceilDiv((inputCount - half) * up, down) : 0;
        float[] out = outputs(block, from, blockStart, end);
        keepTail(block, from, blockStart);
        return out;
    }

    /** Flushes the filter tail: outputs up to the end of the input, as if zeros followed. */
    float[] finish() {
        float[] out = outputs(NO_INPUT, 0, inputCount, ceilDiv(inputCount * up, down));
        keepTail(NO_INPUT, 0, inputCount);
        return out;
    }

    /**
     * Outputs nextOutput up to {@code end} (exclusive), reading input index j from the block when
     * {@code j >= blockStart} and from the kept tail before it. Outputs whose window lies in the
     * block read it in place; the few near its edges gather their window first.
     */
    private float[] outputs(float[] block, int from, long blockStart, long end) {
        int count = (int) Math.max(0, end - nextOutput);
        float[] out = new float[count];
        float[] window = null;
        for (int o = 0; o < count; o++, nextOutput++) {
            long num = nextOutput * down;
            long first = num / up - half + 1;
            double[] h = filter.coefficients((int) (num % up));
            double acc;
            if (first >= blockStart && first + taps <= inputCount) {
                acc = dot(h, block, from + (int) (first - blockStart));
            } else {
                if (window == null) window = new float[taps];
                gather(window, first, block, from, blockStart);
                acc = dot(h, window, 0);
            }
            out[o] = (float) acc; // the taps sum to one: unity gain at DC
        }
        return out;
    }

    /** The filter window starting at input index {@code first}; zeros outside the input. */
    private void gather(float[] window, long first, float[] block, int from, long blockStart) {
        for (int k = 0; k < taps; k++) {
            long j = first + k;
            float v = 0;
            if (j >= blockStart && j < inputCount) v = block[from + (int) (j - blockStart)];
            else if (j >= tailStart && j < blockStart) v = tail[(int) (j - tailStart)];
            window[k] = v;
        }
    }

    // Four partial sums: one running sum would make every product wait for the one before it.
    private double dot(double[] h, float[] x, int at) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int k = 0;
        for (; k + 3 < taps; k += 4) {
            a0 += h[k] * x[at + k];
            a1 += h[k + 1] * x[at + k + 1];
            a2 += h[k + 2] * x[at + k + 2];
            a3 += h[k + 3] * x[at + k + 3];
        }
        for (; k < taps; k++) a0 += h[k] * x[at + k];
        return (a0 + a1) + (a2 + a3);
    }

    /** Keeps the input from the first sample the next output needs to the end. */
    private void keepTail(float[] block, int from, long blockStart) {
        long needFrom = Math.max(tailStart, (nextOutput * down) / up - half + 1);
        float[] kept = new float[(int) Math.max(0, inputCount - needFrom)];
        for (int i = 0; i < kept.length; i++) {
            long j = needFrom + i;
            kept[i] =
                    j >= blockStart
                            ? block[from + (int) (j - blockStart)]
                            : tail[(int) (j - tailStart)];
        }
        tail = kept;
        tailStart = needFrom;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    // The tail is written as doubles: the format sessions of resample 1.0.0 were saved in.
    void writeTo(DataOutput out) throws IOException {
        out.writeLong(tailStart);
        out.writeLong(inputCount);
        out.writeLong(nextOutput);
        out.writeInt(tail.length);
        for (float v : tail) out.writeDouble(v);
    }

    void readFrom(DataInput in) throws IOException {
        tailStart = in.readLong();
        inputCount = in.readLong();
        nextOutput = in.readLong();
        tail = new float[in.readInt()];
        for (int i = 0; i < tail.length; i++) tail[i] = (float) in.readDouble();
    }
}
