package io.audioflow.plugins.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.FrameTrack;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.testing.Feeding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnergyVadTest {

    private final EnergyVad vad = new EnergyVad();
    private final AudioFormat mono16k = new AudioFormat(16_000, 1);

    /** Noise at -50 dBFS with 0.5 s tone bursts at -20 dBFS starting at 1 s, 2 s and 3 s. */
    private static float[] burstsInNoise() {
        Random random = new Random(1);
        float[] x = new float[16_000 * 4];
        for (int i = 0; i < x.length; i++) {
            double t = i / 16_000.0;
            boolean burst = t >= 1 && (t % 1.0) < 0.5;
            x[i] =
                    (float)
                            (random.nextGaussian() * 0.00316
                                    + (burst ? 0.1414 * Math.sin(2 * Math.PI * 300 * t) : 0));
        }
        return x;
    }

    @Test
    void findsTheSpeechBurstsAndTheirNumber() {
        Map<String, Double> m = Feeding.analyze(vad, mono16k, burstsInNoise());
        // 1.5 s of bursts in 4 s, plus up to 240 ms of hangover after each of the 3 bursts.
        assertThat(m.get("speech_ratio")).isBetween(1.5 / 4, (1.5 + 3 * 0.27) / 4);
        assertThat(m.get("segments")).isEqualTo(3.0);
        assertThat(m.get("silence_ratio")).isCloseTo(1 - m.get("speech_ratio"), within(1e-12));
        assertThat(m.get("noise_floor_db")).isCloseTo(-50, within(4.0));
    }

    @Test
    void passesOnALabelForEveryCompletedFrameInOrderAgreeingWithItsMetrics() {
        float[] x = burstsInNoise();
        var acc =
                vad.open(
                        mono16k,
                        StageContext.of(
                                "vad", StageConfig.withDefaults(Map.of(), vad.info().options())));
        List<Float> labels = new ArrayList<>();
        for (int offset = 0; offset < x.length; offset += 1000) {
            float[] block = Arrays.copyOfRange(x, offset, Math.min(x.length, offset + 1000));
            acc.accept(new AudioBlock(mono16k, offset, block));
            FrameTrack t = acc.tracks().get(0);
            assertThat(t.name()).isEqualTo(EnergyVad.SPEECH_TRACK);
            assertThat(t.hop()).isEqualTo(480);
            assertThat(t.firstFrame()).isEqualTo(labels.size());
            // Exactly the frames this block completed.
            assertThat(t.endFrame()).isEqualTo((offset + block.length) / 480);
            for (float v : t.values()) labels.add(v);
        }
        double speech = labels.stream().filter(v -> v == 1f).count();
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (var q : acc.result()) m.put(q.name(), q.value());
        assertThat(speech / labels.size()).isEqualTo(m.get("speech_ratio"));
        assertThat(vad.info().products()).containsExactly("vad.speech");
    }

    @Test
    void digitalSilenceAndSteadyNoiseAreNotSpeech() {
        assertThat(Feeding.analyze(vad, mono16k, new float[16_000]).get("speech_ratio")).isZero();
        Random random = new Random(3);
        float[] noise = new float[32_000];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (random.nextGaussian() * 0.05);
        assertThat(Feeding.analyze(vad, mono16k, noise).get("speech_ratio")).isLessThan(0.05);
    }

    @Test
    void requires16kHzMono() {
        assertThat(vad.accepts(StageConfig.empty()).accepts(mono16k)).isTrue();
        assertThat(vad.accepts(StageConfig.empty()).accepts(new AudioFormat(44_100, 1))).isFalse();
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 1000, 16_000})
    void givesTheSameMetricsWhateverTheChunkingAndAcrossCheckpoints(int blockFrames) {
        float[] x = burstsInNoise();
        Map<String, Double> whole =
                Feeding.analyze(vad, mono16k, StageConfig.empty(), x, x.length, false);
        assertThat(Feeding.analyze(vad, mono16k, StageConfig.empty(), x, blockFrames, true))
                .isEqualTo(whole);
    }
}
