package io.audioflow.plugins.loudness;

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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TruePeakMeterTest {

    private static final int RATE = 48_000;

    private static float[] noise(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * random.nextGaussian());
        return x;
    }

    /** The largest |sample| and |interpolated point| of one channel, point by point. */
    private static double direct(float[][] coefficients, float[] x, int channels, int channel) {
        double peak = 0;
        for (int n = 0; n < x.length / channels; n++) {
            peak = Math.max(peak, Math.abs(x[n * channels + channel]));
            for (float[] coef : coefficients) {
                double acc = 0;
                for (int k = 0; k < coef.length; k++) {
                    int at = n - (coef.length - 1) + k;
                    if (at >= 0) acc += coef[k] * x[at * channels + channel];
                }
                peak = Math.max(peak, Math.abs(acc));
            }
        }
        return peak;
    }

    private static double inChunks(TruePeakMeter meter, float[] x, int channels, int[] frames) {
        int at = 0;
        for (int i = 0; at < x.length; i++) {
            int n = Math.min(frames[i % frames.length] * channels, x.length - at);
            meter.accept(Arrays.copyOfRange(x, at, at + n));
            at += n;
        }
        return meter.peak();
    }

    @ParameterizedTest
    @CsvSource({"48000, 1, 4", "48000, 2, 4", "48000, 5, 4", "96000, 2, 2"})
    void thePeakIsTheLargestSampleOrInterpolatedPointOfAnyChannel(
            int rate, int channels, int phases) {
        float[] x = noise(channels * 4801, channels);
        TruePeakMeter meter = new TruePeakMeter(rate, channels);
        meter.accept(x);
        double expected = 0;
        for (int c = 0; c < channels; c++)
            expected = Math.max(expected, direct(meter.coefficients(), x, channels, c));
        assertThat(meter.coefficients()).hasNumberOfRows(phases);
        assertThat(meter.peak()).isCloseTo(expected, within(1e-6));
    }

    @Test
    void anInterSamplePeakAfterALouderSampleIsStillFound() {
        // A loud click, then a quarter-rate sine whose samples (0.7) sit 45° off its crests
        // (0.99): the stretches are skipped only while no point in them can beat the click.
        float[] x = new float[RATE];
        x[100] = 0.9f;
        for (int n = RATE / 2; n < RATE; n++)
            x[n] = (float) (0.99 * Math.sin(Math.PI / 2 * n + Math.PI / 4));
        TruePeakMeter meter = new TruePeakMeter(RATE, 1);
        meter.accept(x);
        assertThat(meter.peak()).isCloseTo(direct(meter.coefficients(), x, 1, 0), within(1e-6));
        assertThat(meter.peak()).isGreaterThan(0.95);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 11, 12, 13, 480})
    void chunksOfAnySizeGiveExactlyTheSamePeak(int frames) {
        float[] x = noise(2 * 9600, 7);
        TruePeakMeter whole = new TruePeakMeter(RATE, 2);
        whole.accept(x);
        assertThat(inChunks(new TruePeakMeter(RATE, 2), x, 2, new int[] {frames}))
                .isEqualTo(whole.peak());
        assertThat(inChunks(new TruePeakMeter(RATE, 2), x, 2, new int[] {frames, 1, 29}))
                .isEqualTo(whole.peak());
    }

    @Test
    void resumesFromItsStateAndReadsTheRingOfVersion100() throws IOException {
        float[] x = noise(9600, 9);
        x[5000] = 0.99f; // the peak lies after the split
        x[5001] = 0.99f;
        TruePeakMeter whole = new TruePeakMeter(RATE, 1);
        whole.accept(x);

        TruePeakMeter first = new TruePeakMeter(RATE, 1);
        first.accept(Arrays.copyOfRange(x, 0, 4997));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.writeTo(new DataOutputStream(bytes));
        TruePeakMeter resumed = new TruePeakMeter(RATE, 1);
        resumed.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        resumed.accept(Arrays.copyOfRange(x, 4997, x.length));
        assertThat(resumed.peak()).isEqualTo(whole.peak());

        // loudness 1.0.0 kept a ring of the last 12 inputs, newest just before the position.
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeDouble(first.peak());
        int pos = 5;
        out.writeInt(pos);
        float[] ring = new float[12];
        for (int i = 0; i < 12; i++) ring[(pos + i) % 12] = x[4997 - 12 + i];
        for (float v : ring) out.writeFloat(v);
        TruePeakMeter fromOld = new TruePeakMeter(RATE, 1);
        fromOld.readFrom(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        fromOld.accept(Arrays.copyOfRange(x, 4997, x.length));
        assertThat(fromOld.peak()).isEqualTo(whole.peak());
    }
}
