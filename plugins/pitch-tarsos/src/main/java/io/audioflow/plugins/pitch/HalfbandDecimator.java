package io.audioflow.plugins.pitch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Halves the sample rate: a 31-tap Hann-windowed sinc low-pass at 0.45 of the new rate, then every
 * second sample. Speech pitch lies far below the new Nyquist frequency, and YIN's cost falls by
 * four when its frames and lags halve.
 */
final class HalfbandDecimator {

    private static final int TAPS = 31;
    // Outputs filtered per pass: the tile's inputs, their shifted copy and its sums stay in the
    // L1 cache. Whole 1 MB blocks, tap by tap, went out to memory 31 times: an hour of 16 kHz
    // audio took 265 ms instead of 155 ms.
    private static final int TILE = 1024;
    private static final float[] H = design();

    private static final float[] EVEN_TAPS = taps(0); // H[0], H[2], ...
    private static final float[] ODD_TAPS = taps(1); // H[1], H[3], ...

    private final float[] history = new float[TAPS]; // the latest inputs, oldest first
    private long consumed; // input samples seen, to keep even/odd phase across blocks

    /**
     * The work arrays of one caller's run of pieces: the decimator itself keeps only its state, so
     * a session kept live between blocks (one per open recording) holds no scratch.
     */
    static final class Scratch {
        private float[] even = new float[0]; // every second input, from history on
        private float[] odd = new float[0];
        private final float[] shifted = new float[TILE]; // a tile's inputs for one tap
        private final float[] sums = new float[TILE]; // a tile's outputs
        // The last result, reused while pieces keep their size: a new array per piece was an
        // hour's worth of decimated audio, 115 MB, allocated and zeroed.
        private float[] out = new float[0];
    }

    static float[] coefficients() {
        return H.clone();
    }

    private static float[] taps(int phase) {
        float[] t = new float[(TAPS - phase + 1) / 2];
        for (int i = 0; i < t.length; i++) t[i] = H[2 * i + phase];
        return t;
    }

    private static float[] design() {
        float[] h = new float[TAPS];
        double cutoff = 0.45; // of the output rate, i.e. 0.225 of the input rate
        double sum = 0;
        int half = TAPS / 2;
        for (int k = 0; k < TAPS; k++) {
            double d = k - half;
            double sinc = d == 0 ? 1 : Math.sin(Math.PI * cutoff * d) / (Math.PI * cutoff * d);
            double window = 0.5 + 0.5 * Math.cos(Math.PI * d / (half + 1));
            h[k] = (float) (sinc * window);
            sum += h[k];
        }
        for (int k = 0; k < TAPS; k++) h[k] /= (float) sum;
        return h;
    }

    /**
     * The decimated samples this block completes (about half as many). Output j filters the 31
     * inputs ending at the j-th kept one; splitting the inputs into even and odd streams makes each
     * tap one contiguous pass over the block, and the sum of every output runs in the same order
     * whatever the block boundaries.
     */
    float[] process(float[] in) {
        return process(in, 0, in.length, new Scratch());
    }

    /**
     * The same for {@code in[from .. from + length)}, in {@code s}'s arrays: the result is valid
     * until the next call with {@code s}.
     */
    float[] process(float[] in, int from, int length, Scratch s) {
        int outputs = (int) ((consumed + length + 1) / 2 - (consumed + 1) / 2);
        if (s.out.length != outputs) s.out = new float[outputs];
        // The inputs are history, then the block. The earliest output keeps the first
        // even-numbered input of the block and filters the 31 inputs ending there, which start
        // at index 1 of that stream when the block starts on an even input, else at index 2.
        int first = (consumed & 1) == 0 ? 1 : 2;
        int span = TAPS - first + length; // history tail + block
        int pairs = (span + 1) / 2;
        if (s.even.length < pairs) {
            s.even = new float[pairs];
            s.odd = new float[pairs];
        }
        // Stream position i holds input first + i: history up to TAPS, the block after.
        split(s, history, first, TAPS - first, 0);
        split(s, in, from, length, TAPS - first);
        for (int tile = 0; tile < outputs; tile += TILE) {
            int tileLength = Math.min(TILE, outputs - tile);
            Arrays.fill(s.sums, 0, tileLength, 0f);
            filter(s, EVEN_TAPS, s.even, tile, tileLength);
            filter(s, ODD_TAPS, s.odd, tile, tileLength);
            System.arraycopy(s.sums, 0, s.out, tile, tileLength);
        }
        remember(in, from, length);
        consumed += length;
        return s.out;
    }

    /** Samples src[from + k], k < length, go to stream position at + k: even or odd stream. */
    private static void split(Scratch s, float[] src, int from, int length, int at) {
        float[] even = s.even, odd = s.odd;
        int k = 0;
        if ((at & 1) == 1 && length > 0) {
            odd[at >> 1] = src[from];
            k = 1;
        }
        // From here stream position at + k is even: pairs go to even[e] and odd[e].
        int e = (at + k) >> 1;
        for (; k + 1 < length; k += 2, e++) {
            even[e] = src[from + k];
            odd[e] = src[from + k + 1];
        }
        if (k < length) even[e] = src[from + k];
    }

    // The shifted copy looks wasteful, but HotSpot's C2 (17 to 25) does not vectorise
    // sums[j] += h * in[j + k], while it does once both sides use the same index: twice as fast.
    private static void filter(Scratch s, float[] taps, float[] phase, int from, int length) {
        float[] shifted = s.shifted, sums = s.sums;
        for (int k = 0; k < taps.length; k++) {
            float h = taps[k];
            System.arraycopy(phase, from + k, shifted, 0, length);
            for (int j = 0; j < length; j++) sums[j] += h * shifted[j];
        }
    }

    private void remember(float[] in, int from, int length) {
        if (length >= TAPS) {
            System.arraycopy(in, from + length - TAPS, history, 0, TAPS);
        } else {
            System.arraycopy(history, length, history, 0, TAPS - length);
            System.arraycopy(in, from, history, TAPS - length, length);
        }
    }

    // The format of pitch 1.0.0's ring buffer: a position, then the ring, oldest at the
    // position. The history is written as a ring at position 0, readable both ways.
    void writeTo(DataOutput out) throws IOException {
        out.writeInt(0);
        out.writeLong(consumed);
        for (float v : history) out.writeFloat(v);
    }

    void readFrom(DataInput in) throws IOException {
        int pos = in.readInt();
        consumed = in.readLong();
        float[] ring = new float[TAPS];
        for (int i = 0; i < TAPS; i++) ring[i] = in.readFloat();
        for (int i = 0; i < TAPS; i++) history[i] = ring[(pos + i) % TAPS];
    }
}
