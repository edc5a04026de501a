package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HalfbandDecimatorTest {

    private static float[] noise(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    /** Output j: the filter over the 31 inputs ending at input 2j, zeros before the start. */
    private static double[] direct(float[] x) {
        float[] h = HalfbandDecimator.coefficients();
        double[] out = new double[(x.length + 1) / 2];
        for (int j = 0; j < out.length; j++) {
            int end = 2 * j;
            for (int k = 0; k < h.length; k++) {
                int at = end - (h.length - 1) + k;
                if (at >= 0) out[j] += h[k] * x[at];
            }
        }
        return out;
    }

    private static float[] inChunks(HalfbandDecimator d, float[] x, int[] sizes) {
        float[] out = new float[0];
        int at = 0;
        for (int i = 0; at < x.length; i++) {
            int n = Math.min(sizes[i % sizes.length], x.length - at);
            float[] part = d.process(Arrays.copyOfRange(x, at, at + n));
            out = concat(out, part);
            at += n;
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void everyOutputIsTheFilterOverTheInputsEndingAtAnEvenInput() {
        float[] x = noise(1001, 1);
        float[] out = new HalfbandDecimator().process(x);
        double[] expected = direct(x);
        assertThat(out).hasSize(expected.length);
        for (int j = 0; j < out.length; j++)
            assertThat((double) out[j]).as("output %d", j).isCloseTo(expected[j], within(1e-5));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 30, 31, 32, 1000})
    void chunksOfAnySizeGiveExactlyTheSameSamples(int size) {
        float[] x = noise(4000, 2);
        float[] whole = new HalfbandDecimator().process(x);
        assertThat(inChunks(new HalfbandDecimator(), x, new int[] {size})).isEqualTo(whole);
        assertThat(inChunks(new HalfbandDecimator(), x, new int[] {size, 1, 17, 2}))
                .isEqualTo(whole);
    }

    /** How the analyzer feeds it: odd-sized pieces of one block, read in place. */
    @Test
    void piecesReadInPlaceGiveExactlyTheSameSamples() {
        float[] x = noise(40_000, 4);
        float[] whole = new HalfbandDecimator().process(x);
        HalfbandDecimator d = new HalfbandDecimator();
        HalfbandDecimator.Scratch scratch = new HalfbandDecimator.Scratch();
        float[] out = new float[0];
        for (int from = 0; from < x.length; from += 8191)
            out = concat(out, d.process(x, from, Math.min(8191, x.length - from), scratch));
        assertThat(out).isEqualTo(whole);
    }

    @Test
    void resumesFromItsStateAndReadsTheRingOfVersion100() throws IOException {
        float[] x = noise(3000, 3);
        float[] whole = new HalfbandDecimator().process(x);
        HalfbandDecimator first = new HalfbandDecimator();
        float[] head = first.process(Arrays.copyOfRange(x, 0, 1233));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.writeTo(new DataOutputStream(bytes));
        HalfbandDecimator resumed = new HalfbandDecimator();
        resumed.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(concat(head, resumed.process(Arrays.copyOfRange(x, 1233, x.length))))
                .isEqualTo(whole);

        // pitch 1.0.0 kept a ring of the last 31 inputs, oldest at the position written first.
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        int pos = 9;
        out.writeInt(pos);
        out.writeLong(1233);
        float[] ring = new float[31];
        for (int i = 0; i < 31; i++) ring[(pos + i) % 31] = x[1233 - 31 + i];
        for (float v : ring) out.writeFloat(v);
        HalfbandDecimator fromOld = new HalfbandDecimator();
        fromOld.readFrom(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(concat(head, fromOld.process(Arrays.copyOfRange(x, 1233, x.length))))
                .isEqualTo(whole);
    }
}
