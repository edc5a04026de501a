package io.audioflow.plugins.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StreamFormat;
import io.audioflow.api.testing.Feeding;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplePluginTest {

    private final ResamplePlugin plugin = new ResamplePlugin();

    private StageContext context(int rate, int channels) {
        return StageContext.of(
                "preprocess",
                StageConfig.withDefaults(
                        Map.of("sample_rate", (long) rate, "channels", (long) channels),
                        plugin.info().options()));
    }

    /** Runs the resampler over {@code in} in blocks, writing and reading its state between them. */
    private float[] run(AudioFormat format, float[] in, int blockFrames, StageContext ctx) {
        Feeding.Processed out = Feeding.process(plugin, format, ctx, in, blockFrames);
        assertThat(out.contiguous()).isTrue();
        return out.samples();
    }

    private static double rmsDb(float[] x, int from, int to) {
        double ss = 0;
        for (int i = from; i < to; i++) ss += (double) x[i] * x[i];
        return 10 * Math.log10(ss / (to - from));
    }

    @Test
    void keepsThePassbandLevelAndTheDuration() throws IOException {
        AudioFormat in = new AudioFormat(44_100, 1);
        float[] tone = Feeding.sine(in, 2.0, 1000, 0.5);
        float[] out = run(in, tone, 4410, context(16_000, 1));
        assertThat(out.length).isEqualTo(32_000); // ceil(88200 * 160 / 441)
        // -9.03 dB for a 0.5 sine; measured away from the filter's start-up and tail.
        assertThat(rmsDb(out, 1000, 31_000)).isCloseTo(rmsDb(tone, 3000, 85_000), within(0.05));
    }

    @Test
    void removesContentAboveTheNewNyquistFrequency() throws IOException {
        AudioFormat in = new AudioFormat(48_000, 1);
        float[] tone = Feeding.sine(in, 1.0, 12_000, 0.9); // would alias to 4 kHz at 16 kHz
        float[] out = run(in, tone, 48_000, context(16_000, 1));
        assertThat(rmsDb(out, 500, out.length - 500)).isLessThan(-70);
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 441, 1000, 44_100})
    void givesTheSameOutputWhateverTheBlockSize(int blockFrames) throws IOException {
        AudioFormat in = new AudioFormat(44_100, 1);
        float[] tone = Feeding.sine(in, 0.5, 440, 0.7);
        float[] whole = run(in, tone, tone.length, context(16_000, 1));
        float[] chunked = run(in, tone, blockFrames, context(16_000, 1));
        // Bit for bit: each output is the same sum over the same window wherever blocks end.
        assertThat(chunked).isEqualTo(whole);
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 7, 441, 10_000})
    void computesEveryOutputAsTheFilterDefinesIt(int blockFrames) throws IOException {
        AudioFormat in = new AudioFormat(44_100, 1);
        java.util.Random random = new java.util.Random(7);
        float[] noise = new float[22_050];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (random.nextGaussian() * 0.2);
        float[] out = run(in, noise, blockFrames, context(16_000, 1));
        // The definition, one output at a time over the whole input, zeros outside it.
        PolyphaseFilter filter = new PolyphaseFilter(44_100, 16_000);
        int half = filter.taps / 2;
        assertThat(out.length).isEqualTo((noise.length * 160 + 440) / 441);
        for (int n = 0; n < out.length; n++) {
            long num = (long) n * filter.down;
            double[] h = filter.coefficients((int) (num % filter.up));
            long first = num / filter.up - half + 1;
            double expected = 0;
            for (int k = 0; k < filter.taps; k++) {
                long j = first + k;
                if (j >= 0 && j < noise.length) expected += h[k] * noise[(int) j];
            }
            assertThat((double) out[n]).as("output %d", n).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void resamplesEachChannelAloneWhenKeepingThem() throws IOException {
        AudioFormat in = new AudioFormat(48_000, 2);
        AudioFormat mono = new AudioFormat(48_000, 1);
        float[] left = Feeding.sine(mono, 0.25, 440, 0.5);
        float[] right = Feeding.sine(mono, 0.25, 3000, 0.25);
        float[] stereo = new float[left.length * 2];
        for (int i = 0; i < left.length; i++) {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = right[i];
        }
        float[] both = run(in, stereo, 1000, context(16_000, 0));
        float[] leftAlone = run(mono, left, 1000, context(16_000, 1));
        float[] rightAlone = run(mono, right, 1000, context(16_000, 1));
        assertThat(both).hasSize(2 * leftAlone.length);
        for (int i = 0; i < leftAlone.length; i++) {
            assertThat(both[2 * i]).isEqualTo(leftAlone[i]);
            assertThat(both[2 * i + 1]).isEqualTo(rightAlone[i]);
        }
    }

    @Test
    void downmixesStereoToTheMeanOfItsChannels() throws IOException {
        AudioFormat in = new AudioFormat(16_000, 2);
        float[] stereo = {0.2f, 0.4f, -1f, 1f, 0.5f, 0.5f};
        assertThat(run(in, stereo, 3, context(16_000, 1))).containsExactly(0.3f, 0f, 0.5f);
    }

    @Test
    void passesAudioAlreadyInTheTargetFormatThroughBitExact() throws IOException {
        AudioFormat in = new AudioFormat(16_000, 1);
        float[] tone = Feeding.sine(in, 0.1, 440, 0.3);
        assertThat(run(in, tone, 100, context(16_000, 1))).isEqualTo(tone);
    }

    @Test
    void declaresItsOutputFormatForValidation() {
        StageConfig config = context(16_000, 1).config();
        assertThat(plugin.outputFormat(StreamFormat.VARIES, config))
                .isEqualTo(new StreamFormat(16_000, 1));
        StageConfig keep = context(22_050, 0).config();
        assertThat(plugin.outputFormat(new StreamFormat(44_100, 2), keep))
                .isEqualTo(new StreamFormat(22_050, 2));
    }
}
