package io.audioflow.plugins.spectral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.FrameTrack;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.testing.Feeding;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpectralAnalyzerTest {

    private static final AudioFormat MONO = new AudioFormat(16_000, 1);
    private final SpectralAnalyzer analyzer = new SpectralAnalyzer();

    private Map<String, Double> measure(float[] x) {
        return Feeding.analyze(
                analyzer, MONO, StageConfig.of(Map.of("frames", "all")), x, x.length, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 16, 32, 64, 128, 512, 1024, 4096})
    void theFftsPowerSpectrumMatchesADirectDft(int n) {
        Fft fft = new Fft(n);
        double[] re = new double[n / 2], im = new double[n / 2], power = new double[n / 2 + 1];
        Random random = new Random(n);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = random.nextGaussian();
        fft.power(x.clone(), re, im, power);
        for (int k = 0; k <= n / 2; k++) {
            double dr = 0, di = 0;
            for (int t = 0; t < n; t++) {
                dr += x[t] * Math.cos(-2 * Math.PI * k * t / n);
                di += x[t] * Math.sin(-2 * Math.PI * k * t / n);
            }
            assertThat(power[k]).as("bin %d", k).isCloseTo(dr * dr + di * di, within(1e-9 * n));
        }
    }

    @Test
    void aPureToneHasItsFrequencyAsCentroidAndRollOffAndNoFlatness() {
        // 1 kHz falls exactly on bin 32 of a 512-point frame at 16 kHz.
        Map<String, Double> m = measure(Feeding.sine(MONO, 1.0, 1000, 0.5));
        assertThat(m.get("centroid_hz")).isCloseTo(1000, within(5.0));
        assertThat(m.get("rolloff_hz")).isCloseTo(1000, within(31.25));
        assertThat(m.get("bandwidth_hz")).isLessThan(60);
        assertThat(m.get("flatness")).isLessThan(1e-3);
    }

    @Test
    void whiteNoiseIsFlatWithItsCentroidAtAQuarterOfTheSampleRate() {
        Random random = new Random(11);
        float[] noise = new float[16_000 * 2];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (random.nextGaussian() * 0.1);
        Map<String, Double> m = measure(noise);
        assertThat(m.get("centroid_hz")).isCloseTo(4000, within(150.0));
        assertThat(m.get("rolloff_hz")).isCloseTo(0.85 * 8000, within(250.0));
        // The flatness of a white-noise periodogram is about exp(-γ) = 0.56, not 1.
        assertThat(m.get("flatness")).isBetween(0.45, 0.65);
        assertThat(m.get("bandwidth_hz")).isCloseTo(8000 / Math.sqrt(12), within(150.0));
    }

    @Test
    void activeFramesLeaveSilenceOut() {
        float[] x = new float[32_000];
        float[] tone = Feeding.sine(MONO, 1.0, 2000, 0.5);
        System.arraycopy(tone, 0, x, 16_000, 16_000);
        Map<String, Double> active =
                Feeding.analyze(analyzer, MONO, StageConfig.empty(), x, x.length, false);
        assertThat(active.get("centroid_hz")).isCloseTo(2000, within(20.0));
        assertThat(active.get("frames")).isBetween(55.0, 64.0);
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 1000, 16_000})
    void givesTheSameMetricsWhateverTheChunkingAndAcrossCheckpoints(int blockFrames) {
        Random random = new Random(2);
        float[] x = new float[20_000];
        for (int i = 0; i < x.length; i++)
            x[i] = (float) (Math.sin(i * 0.3) * 0.3 + random.nextGaussian() * 0.05);
        Map<String, Double> whole =
                Feeding.analyze(analyzer, MONO, StageConfig.empty(), x, x.length, false);
        assertThat(Feeding.analyze(analyzer, MONO, StageConfig.empty(), x, blockFrames, true))
                .isEqualTo(whole);
    }

    /**
     * Stands in for the vad stage: labels 30 ms frames (480 samples) as speech when their index is
     * in {@code speech}, and reports the frames each block completed, as vad does.
     */
    static final class Labeller implements AudioAnalyzer {
        private final java.util.function.LongPredicate speech;

        Labeller(java.util.function.LongPredicate speech) {
            this.speech = speech;
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("labeller", "1.0.0", StageKind.ANALYZER)
                    .products(SpectralAnalyzer.SPEECH_TRACK)
                    .build();
        }

        @Override
        public FormatRequirement accepts(StageConfig config) {
            return FormatRequirement.ANY;
        }

        @Override
        public Accumulator open(AudioFormat format, StageContext context) {
            return new Acc();
        }

        @Override
        public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
                throws IOException {
            Acc a = new Acc();
            a.seen = in.readLong();
            return a;
        }

        final class Acc implements Accumulator {
            long seen;
            long firstNew;
            int completed;

            @Override
            public void accept(AudioBlock block) {
                long before = seen / 480;
                seen += block.frames();
                firstNew = before;
                completed = (int) (seen / 480 - before);
            }

            @Override
            public List<FrameTrack> tracks() {
                float[] labels = new float[completed];
                for (int i = 0; i < completed; i++) labels[i] = speech.test(firstNew + i) ? 1 : 0;
                return List.of(
                        new FrameTrack(SpectralAnalyzer.SPEECH_TRACK, 480, 480, firstNew, labels));
            }

            @Override
            public List<QualityMetric> result() {
                return List.of();
            }

            @Override
            public void writeTo(DataOutput out) throws IOException {
                out.writeLong(seen);
            }
        }
    }

    /** frames: speech, fed after a {@link Labeller} marking {@code speech} vad frames. */
    private Map<String, Double> afterLabeller(
            java.util.function.LongPredicate speech,
            float[] x,
            int blockFrames,
            boolean checkpoint) {
        return Feeding.analyzeDownstream(
                new Labeller(speech),
                StageConfig.empty(),
                analyzer,
                StageConfig.of(Map.of("frames", "speech")),
                MONO,
                x,
                blockFrames,
                checkpoint);
    }

    @Test
    void speechFramesAreThoseWhoseCentreTheVadMarkedAsSpeech() {
        float[] x = Feeding.sine(MONO, 2.0, 1000, 0.5);
        // Speech in vad frames 10..29 (samples 4800..14399): spectral frame k (512 long, hop 256)
        // counts when its centre k*256+256 lies there: k from 18 to 55, 38 frames.
        Map<String, Double> m = afterLabeller(j -> j >= 10 && j < 30, x, x.length, false);
        assertThat(m.get("frames")).isEqualTo(38.0);
        assertThat(m.get("centroid_hz")).isCloseTo(1000, within(20.0));
        assertThat(
                        analyzer.consumes(
                                StageConfig.withDefaults(
                                        Map.of("frames", "speech"), analyzer.info().options())))
                .containsExactly("vad.speech");
        assertThat(analyzer.consumes(StageConfig.withDefaults(Map.of(), analyzer.info().options())))
                .isEmpty();
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 100, 479, 1000, 16_000})
    void speechFramesGiveTheSameMetricsWhateverTheChunkingAndAcrossCheckpoints(int blockFrames) {
        Random random = new Random(3);
        float[] x = new float[40_000];
        for (int i = 0; i < x.length; i++)
            x[i] = (float) (Math.sin(i * 0.2) * 0.2 + random.nextGaussian() * 0.05);
        java.util.function.LongPredicate speech = j -> (j / 7) % 2 == 0;
        Map<String, Double> whole = afterLabeller(speech, x, x.length, false);
        assertThat(whole.get("frames")).isGreaterThan(50.0);
        assertThat(afterLabeller(speech, x, blockFrames, true)).isEqualTo(whole);
    }
}
