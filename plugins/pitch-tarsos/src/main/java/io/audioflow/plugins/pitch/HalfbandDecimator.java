package io.audioflow.plugins.pitch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Halves the sample rate: a 31-tap Hann-windowed sinc low-pass at 0.45 of the new rate, then every
 * second sample. Speech pitch lies far below the new Nyquist frequency, and YIN's cost falls by
 * four when its frames and lags halve.
 */
final class HalfbandDecimator {

    private static final int TAPS = 31;
    private static final float[] H = design();

    private final float[] history = new float[TAPS]; // ring of the latest inputs
    private int pos;
    private long consumed; // input samples seen, to keep even/odd phase across blocks

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

    /** The decimated samples this block completes (about half as many). */
    float[] process(float[] in) {
        float[] out = new float[(int) ((consumed + in.length + 1) / 2 - (consumed + 1) / 2)];
        int o = 0;
        for (float v : in) {
            history[pos] = v;
            pos = pos == TAPS - 1 ? 0 : pos + 1;
            if ((consumed++ & 1) == 0) {
                double acc = 0;
                int idx = pos;
                for (int k = 0; k < TAPS; k++) {
                    acc += H[k] * history[idx];
                    idx = idx == TAPS - 1 ? 0 : idx + 1;
                }
                out[o++] = (float) acc;
            }
        }
        return out;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(pos);
        out.writeLong(consumed);
        for (float v : history) out.writeFloat(v);
    }

    void readFrom(DataInput in) throws IOException {
        pos = in.readInt();
        consumed = in.readLong();
        for (int i = 0; i < TAPS; i++) history[i] = in.readFloat();
    }
}
