package io.audioflow.plugins.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.testing.Feeding;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemporalAnalyzerTest {

    private final TemporalAnalyzer analyzer = new TemporalAnalyzer();
    private final AudioFormat mono = new AudioFormat(16_000, 1);

    @Test
    void aFullScaleSineReadsMinus3Point01DbRmsAsInSoxAndFfmpeg() {
        Map<String, Double> m = Feeding.analyze(analyzer, mono, Feeding.sine(mono, 1.0, 1000, 1.0));
        assertThat(m.get("rms_dbfs")).isCloseTo(-3.0103, within(0.005));
        assertThat(m.get("peak_dbfs")).isCloseTo(0.0, within(0.005));
        assertThat(m.get("crest_db")).isCloseTo(3.0103, within(0.01));
    }

    @Test
    void countsSignChangesPerSampleAsAstatsDoes() {
        // 1 kHz at 16 kHz: two sign changes per 16 samples.
        Map<String, Double> m = Feeding.analyze(analyzer, mono, Feeding.sine(mono, 1.0, 1000, 0.5));
        assertThat(m.get("zcr")).isCloseTo(2.0 / 16, within(0.001));
    }

    @Test
    void measuresDcOffsetAndClipping() {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = i < 10 ? 1.0f : 0.1f;
        Map<String, Double> m = Feeding.analyze(analyzer, mono, x);
        assertThat(m.get("dc_offset")).isCloseTo((10 * 1.0 + 990 * 0.1) / 1000, within(1e-6));
        assertThat(m.get("clipping_ratio")).isCloseTo(0.01, within(1e-9));
    }

    @Test
    void reportsTheFloorForDigitalSilenceInsteadOfMinusInfinity() {
        Map<String, Double> m = Feeding.analyze(analyzer, mono, new float[500]);
        assertThat(m.get("rms_dbfs")).isEqualTo(-200.0);
        assertThat(m.get("peak_dbfs")).isEqualTo(-200.0);
    }

    @Test
    void treatsChannelsTogetherButCountsCrossingsWithinEachChannel() {
        AudioFormat stereo = new AudioFormat(8_000, 2);
        float[] x = {0.5f, -0.5f, -0.5f, 0.5f, 0.5f, -0.5f}; // each channel alternates sign
        Map<String, Double> m = Feeding.analyze(analyzer, stereo, x);
        // As in ffmpeg astats, the sign before the first sample counts as negative: channel 0
        // (+ - +) changes sign 3 times, channel 1 (- + -) twice.
        assertThat(m.get("zcr")).isCloseTo(5.0 / 6, within(1e-9));
        assertThat(m.get("rms_dbfs")).isCloseTo(20 * Math.log10(0.5), within(1e-6));
    }

    @Test
    void skipsExactZerosWhenCountingCrossingsLikeFfmpeg() {
        float[] x = {0f, 0.5f, 0f, 0f, 0.25f, 0f, -0.5f, 0f, -0.1f, 0f};
        // + (from the initial negative), then - : two changes in ten samples.
        assertThat(Feeding.analyze(analyzer, mono, x).get("zcr")).isCloseTo(0.2, within(1e-12));
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 1000, 16_000})
    void givesTheSameMetricsWhateverTheChunkingAndAcrossCheckpoints(int blockFrames) {
        AudioFormat stereo = new AudioFormat(16_000, 2);
        Random random = new Random(7);
        float[] x = new float[2 * 20_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * 0.2 + 0.01);
        Map<String, Double> whole =
                Feeding.analyze(analyzer, stereo, StageConfig.empty(), x, 20_000, false);
        Map<String, Double> chunked =
                Feeding.analyze(analyzer, stereo, StageConfig.empty(), x, blockFrames, true);
        whole.forEach(
                (k, v) ->
                        assertThat(chunked.get(k))
                                .as(k)
                                .isCloseTo(v, within(Math.abs(v) * 1e-6 + 1e-12)));
    }

    @Test
    void progressReportsTheLatestChunkWhileTheResultCoversTheRecording() {
        var after =
                Feeding.progress(
                        analyzer,
                        mono,
                        java.util.List.of(
                                Feeding.sine(mono, 0.5, 1000, 1.0),
                                Feeding.sine(mono, 0.5, 1000, 0.1)));
        assertThat(after.get(0).get("chunk_peak_dbfs")).isCloseTo(0.0, within(0.005));
        assertThat(after.get(1).get("chunk_peak_dbfs")).isCloseTo(-20.0, within(0.005));
        assertThat(after.get(1).get("chunk_rms_dbfs")).isCloseTo(-23.0103, within(0.005));
        assertThat(after.get(2).get("peak_dbfs")).as("the result").isCloseTo(0.0, within(0.005));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void countsCrossingsAsTheSampleBySampleDefinitionAcrossBlocks(int channels) {
        AudioFormat format = new AudioFormat(16_000, channels);
        Random random = new Random(channels);
        for (int trial = 0; trial < 100; trial++) {
            float[] x = new float[(1 + random.nextInt(60)) * channels];
            for (int i = 0; i < x.length; i++) {
                int kind = random.nextInt(5); // runs of 0 and -0 between signals
                x[i] = kind == 0 ? 0f : kind == 1 ? -0f : (float) random.nextGaussian() * 0.3f;
            }
            long expected = 0;
            for (int c = 0; c < channels; c++) {
                boolean negative = true; // before the first non-zero sample
                for (int i = c; i < x.length; i += channels) {
                    if (x[i] == 0) continue;
                    if ((x[i] < 0) != negative) expected++;
                    negative = x[i] < 0;
                }
            }
            int frames = x.length / channels;
            int blockFrames = 1 + random.nextInt(frames);
            Map<String, Double> m =
                    Feeding.analyze(
                            analyzer, format, StageConfig.empty(), x, blockFrames, trial % 2 == 0);
            assertThat(m.get("zcr") * frames * channels).isCloseTo(expected, within(1e-6));
        }
    }
}
