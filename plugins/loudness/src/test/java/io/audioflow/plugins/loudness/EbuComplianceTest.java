package io.audioflow.plugins.loudness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.testing.Feeding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The EBU loudness test signals, synthesized here from their published descriptions (the EBU files
 * themselves may not be redistributed). Tolerances are the ones Tech 3341 and 3342 set: ±0.1 LU
 * integrated, +0.2/-0.4 dB true peak, ±1 LU loudness range.
 */
class EbuComplianceTest {

    private static final int FS = 48_000;
    private final LoudnessAnalyzer analyzer = new LoudnessAnalyzer();

    /** A 1 kHz sine on every channel, in segments of (seconds, dBFS peak level per channel). */
    private static float[] sineSegments(int channels, double[] channelDb, double... secondsAndDb) {
        int total = 0;
        for (int i = 0; i < secondsAndDb.length; i += 2)
            total += (int) Math.round(secondsAndDb[i] * FS);
        float[] x = new float[total * channels];
        int frame = 0;
        for (int i = 0; i < secondsAndDb.length; i += 2) {
            int n = (int) Math.round(secondsAndDb[i] * FS);
            for (int f = 0; f < n; f++, frame++) {
                double s = Math.sin(2 * Math.PI * 1000.0 * frame / FS);
                for (int c = 0; c < channels; c++) {
                    double db = secondsAndDb[i + 1] + (channelDb == null ? 0 : channelDb[c]);
                    x[frame * channels + c] = (float) (Math.pow(10, db / 20) * s);
                }
            }
        }
        return x;
    }

    private Map<String, Double> measure(int channels, float[] x) {
        return Feeding.analyze(
                analyzer, new AudioFormat(FS, channels), StageConfig.empty(), x, FS / 3, false);
    }

    @ParameterizedTest(name = "Tech 3341 case {0}")
    @CsvSource({
        "1, '20,-23', -23.0",
        "2, '20,-33', -33.0",
        "3, '10,-36,60,-23,10,-36', -23.0",
        "4, '10,-72,10,-36,60,-23,10,-36,10,-72', -23.0",
        "5, '20,-26,20.1,-20,20,-26', -23.0",
    })
    void integratedLoudnessOfStereoCases1To5(int caseNumber, String segments, double expected) {
        double[] spec =
                java.util.Arrays.stream(segments.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray();
        Map<String, Double> m = measure(2, sineSegments(2, null, spec));
        assertThat(m.get("integrated_lufs")).isCloseTo(expected, within(0.1));
    }

    @Test
    void tech3341Case6FiveChannelsWeightsTheSurrounds() {
        // L, R at -28, C at -24, Ls, Rs at -30 dBFS: surrounds weigh 1.41.
        float[] x = sineSegments(5, new double[] {-28, -28, -24, -30, -30}, 20, 0);
        assertThat(measure(5, x).get("integrated_lufs")).isCloseTo(-23.0, within(0.1));
    }

    @Test
    void tech3341Case6InFivePointOneIgnoresTheLfe() {
        float[] x = sineSegments(6, new double[] {-28, -28, -24, -10, -30, -30}, 20, 0);
        assertThat(measure(6, x).get("integrated_lufs")).isCloseTo(-23.0, within(0.1));
    }

    /**
     * A sine at {@code fs / divisor}, amplitude {@code amplitude}, at phase {@code degrees}, faded
     * in and out over 20 ms: an abrupt start is not band-limited, and its reconstructed waveform
     * really does overshoot, which is not what these cases test.
     */
    private static float[] phasedSine(int divisor, double amplitude, double degrees) {
        int frames = FS * 3;
        int ramp = FS / 50;
        float[] x = new float[2 * frames];
        for (int f = 0; f < frames; f++) {
            int edge = Math.min(f, frames - 1 - f);
            double fade = edge >= ramp ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * edge / ramp);
            double phase = 2 * Math.PI * f / divisor + Math.toRadians(degrees);
            float v = (float) (fade * amplitude * Math.sin(phase));
            x[2 * f] = v;
            x[2 * f + 1] = v;
        }
        return x;
    }

    @ParameterizedTest(name = "Tech 3341 case {0}: fs/{1}, amplitude {2}, {3} degrees")
    @CsvSource({
        "15, 4, 0.50, 0, -6.0",
        "16, 4, 0.50, 45, -6.0",
        "17, 6, 0.50, 60, -6.0",
        "18, 8, 0.50, 67.5, -6.0",
        "19, 4, 1.41, 45, 3.0",
    })
    void truePeakOfPhasedSines(
            int caseNumber, int divisor, double amplitude, double degrees, double expected) {
        double tp = measure(2, phasedSine(divisor, amplitude, degrees)).get("true_peak_dbtp");
        assertThat(tp).isBetween(expected - 0.4, expected + 0.2);
    }

    /**
     * Cases 20-23 check peaks between samples at four sub-sample offsets. Reconstructed here as a
     * band-limited pulse (a windowed sinc at 0.45 fs) of peak 1.0 whose centre falls 0, 1/4, 2/4
     * and 3/4 of a sample after a sample instant: true peak 0 dBTP whatever the offset, while the
     * sample peak drops by up to several dB.
     */
    @ParameterizedTest(name = "Tech 3341 case {0}: inter-sample peak, offset {0}/4")
    @CsvSource({"0", "1", "2", "3"})
    void truePeakBetweenSamples(int quarter) {
        float[] x = new float[2 * FS];
        double centre = FS / 2 + quarter / 4.0;
        double bandwidth = 0.9; // of Nyquist
        for (int f = 0; f < FS; f++) {
            double d = f - centre;
            double window = Math.abs(d) < 64 ? 0.5 + 0.5 * Math.cos(Math.PI * d / 64) : 0;
            double v =
                    (Math.abs(d) < 1e-12
                                    ? 1
                                    : Math.sin(Math.PI * bandwidth * d) / (Math.PI * bandwidth * d))
                            * window;
            x[2 * f] = (float) v;
            x[2 * f + 1] = (float) v;
        }
        double tp = measure(2, x).get("true_peak_dbtp");
        assertThat(tp).isBetween(-0.4, 0.2);
    }

    @ParameterizedTest(name = "Tech 3342 case {0}: LRA {2} LU")
    @CsvSource({
        "1, '20,-20,20,-30', 10",
        "2, '20,-20,20,-15', 5",
        "3, '20,-40,20,-20', 20",
        "4, '20,-50,20,-35,20,-20,20,-35,20,-50', 15",
    })
    void loudnessRangeOfTech3342Cases1To4(int caseNumber, String segments, double expected) {
        double[] spec =
                java.util.Arrays.stream(segments.split(","))
                        .mapToDouble(Double::parseDouble)
                        .toArray();
        assertThat(measure(2, sineSegments(2, null, spec)).get("range_lu"))
                .isCloseTo(expected, within(1.0));
    }

    @Test
    void monoCountsOneChannelLikeFfmpeg() {
        // A mono -23 dBFS sine reads 3 LU below the same sine on two channels.
        float[] mono = sineSegments(1, null, 10, -23);
        assertThat(measure(1, mono).get("integrated_lufs")).isCloseTo(-26.0, within(0.1));
    }

    @Test
    void silenceReadsMinus70AndNoRange() {
        Map<String, Double> m = measure(2, new float[2 * FS * 5]);
        assertThat(m.get("integrated_lufs")).isEqualTo(-70.0);
        assertThat(m.get("range_lu")).isZero();
        assertThat(m.get("true_peak_dbtp")).isEqualTo(-200.0);
    }

    @Test
    void reportsNoShortTermMaximumForRecordingsShorterThanThreeSeconds() {
        Map<String, Double> m = measure(2, sineSegments(2, null, 2, -23));
        assertThat(m.get("short_term_max_lufs")).isNaN();
        assertThat(m.get("momentary_max_lufs")).isCloseTo(-23.0, within(0.1));
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @CsvSource({"1", "1000", "48000"})
    void givesTheSameMetricsWhateverTheChunkingAndAcrossCheckpoints(int blockFrames) {
        float[] x = sineSegments(2, null, 2, -30, 2, -18);
        AudioFormat format = new AudioFormat(FS, 2);
        Map<String, Double> whole =
                Feeding.analyze(analyzer, format, StageConfig.empty(), x, x.length, false);
        Map<String, Double> chunked =
                Feeding.analyze(analyzer, format, StageConfig.empty(), x, blockFrames, true);
        whole.forEach(
                (k, v) ->
                        assertThat(chunked.get(k))
                                .as(k)
                                .isCloseTo(v, within(Math.abs(v) * 1e-6 + 1e-9)));
    }

    @Test
    void kWeightingWorksAtOtherSampleRates() {
        // The same -23 dBFS stereo sine reads -23 LUFS at 44.1 and 16 kHz too.
        for (int rate : new int[] {44_100, 16_000}) {
            AudioFormat format = new AudioFormat(rate, 2);
            float[] x = Feeding.sine(format, 10, 1000, Math.pow(10, -23 / 20.0));
            Map<String, Double> m =
                    Feeding.analyze(analyzer, format, StageConfig.empty(), x, rate, false);
            assertThat(m.get("integrated_lufs")).as("at %d Hz", rate).isCloseTo(-23.0, within(0.1));
        }
    }

    @Test
    void progressGivesMomentaryAndShortTermLoudnessOnceEnoughAudioCame() {
        AudioFormat mono = new AudioFormat(48_000, 1);
        List<float[]> seconds = new ArrayList<>();
        for (int i = 0; i < 4; i++) seconds.add(Feeding.sine(mono, 1.0, 1000, 0.1));
        var after = Feeding.progress(new LoudnessAnalyzer(), mono, seconds);
        assertThat(after.get(0)).containsOnlyKeys("momentary_lufs");
        assertThat(after.get(3)).containsOnlyKeys("momentary_lufs", "short_term_lufs");
        // A steady tone: every window reads what the whole recording integrates to.
        double integrated = after.get(4).get("integrated_lufs");
        assertThat(after.get(3).get("momentary_lufs")).isCloseTo(integrated, within(0.05));
        assertThat(after.get(3).get("short_term_lufs")).isCloseTo(integrated, within(0.05));
    }
}
