package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.testing.Feeding;
import io.audioflow.api.testing.Recordings;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class YinPitchTest {

    private static final AudioFormat MONO = new AudioFormat(16_000, 1);
    private final YinPitch pitch = new YinPitch();

    /** A harmonic tone (5 partials with falling amplitude), as a voiced vowel roughly is. */
    private static float[] harmonic(double f0, double seconds) {
        int n = (int) (seconds * 16_000);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / 16_000.0, v = 0;
            for (int k = 1; k <= 5; k++) v += 0.3 / k * Math.sin(2 * Math.PI * f0 * k * t);
            x[i] = (float) v;
        }
        return x;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(doubles = {85, 120, 220, 440})
    void findsThePitchOfHarmonicTonesWithinThreePercent(double f0) {
        Map<String, Double> m = Feeding.analyze(pitch, MONO, harmonic(f0, 2.0));
        assertThat(m.get("median_hz")).isCloseTo(f0, within(0.03 * f0));
        assertThat(m.get("voiced_ratio")).isGreaterThan(0.9);
    }

    @Test
    void findsThePitchOfAPureSineWhichFastYinMisses() {
        Map<String, Double> m = Feeding.analyze(pitch, MONO, Feeding.sine(MONO, 1.0, 300, 0.5));
        assertThat(m.get("median_hz")).isCloseTo(300, within(9.0));
    }

    @Test
    void noiseAndSilenceAreUnvoiced() {
        Random random = new Random(9);
        float[] noise = new float[16_000];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (random.nextGaussian() * 0.1);
        assertThat(Feeding.analyze(pitch, MONO, noise).get("voiced_ratio")).isLessThan(0.1);
        Map<String, Double> silence = Feeding.analyze(pitch, MONO, new float[16_000]);
        assertThat(silence.get("voiced_ratio")).isZero();
        assertThat(silence.get("median_hz")).isNaN();
    }

    /**
     * Speech, then a 12 s beep at B4 as telephone prompts end with: longer than the voiced speech.
     */
    private static float[] speechThenBeep() throws Exception {
        float[] speech = Recordings.monoPcm16(Recordings.CODEC2_SPEECH);
        float[] beep = Feeding.sine(MONO, 12.0, 493.88, 0.3);
        float[] x = Arrays.copyOf(speech, speech.length + beep.length);
        System.arraycopy(beep, 0, x, speech.length, beep.length);
        return x;
    }

    @Test
    void aLongBeepDoesNotDecideThePitchOfTheSpeechBeforeIt() throws Exception {
        float[] speech = Recordings.monoPcm16(Recordings.CODEC2_SPEECH);
        double alone = Feeding.analyze(pitch, MONO, speech).get("median_hz");
        Map<String, Double> m = Feeding.analyze(pitch, MONO, speechThenBeep());
        assertThat(m.get("median_hz")).isCloseTo(alone, within(0.03 * alone));
        assertThat(m.get("tone_ratio")).isBetween(0.4, 0.6); // 12 s of 22.8 s
        assertThat(m.get("voiced_ratio")).isGreaterThan(m.get("tone_ratio"));

        Map<String, Double> countingTones =
                Feeding.analyze(
                        pitch,
                        MONO,
                        StageConfig.of(Map.of("tone_seconds", 0.0)),
                        speechThenBeep(),
                        4000,
                        false);
        assertThat(countingTones.get("median_hz")).isCloseTo(493.88, within(5.0));
        assertThat(countingTones.get("tone_ratio")).isZero();
    }

    @Test
    void speechHasNoTonesAndATestToneAloneStillReportsItsPitch() throws Exception {
        Map<String, Double> speech =
                Feeding.analyze(pitch, MONO, Recordings.monoPcm16(Recordings.CODEC2_SPEECH));
        assertThat(speech.get("tone_ratio")).isZero();
        Map<String, Double> beep =
                Feeding.analyze(pitch, MONO, Feeding.sine(MONO, 2.0, 493.88, 0.3));
        assertThat(beep.get("median_hz")).isCloseTo(493.88, within(5.0));
        assertThat(beep.get("tone_ratio")).isGreaterThan(0.9);
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1000, 16_000})
    void givesTheSameMetricsWithToneRunsCutByChunksAndCheckpoints(int blockFrames)
            throws Exception {
        float[] x = speechThenBeep();
        Map<String, Double> whole =
                Feeding.analyze(pitch, MONO, StageConfig.empty(), x, x.length, false);
        assertThat(Feeding.analyze(pitch, MONO, StageConfig.empty(), x, blockFrames, true))
                .isEqualTo(whole);
    }

    @ParameterizedTest(name = "blocks of {0} frames")
    @ValueSource(ints = {1, 1000, 16_000})
    void givesTheSameMetricsWhateverTheChunkingAndAcrossCheckpoints(int blockFrames) {
        float[] x = harmonic(150, 1.5);
        Map<String, Double> whole =
                Feeding.analyze(pitch, MONO, StageConfig.empty(), x, x.length, false);
        assertThat(Feeding.analyze(pitch, MONO, StageConfig.empty(), x, blockFrames, true))
                .isEqualTo(whole);
    }

    @Test
    void theVectorizedYinAndTarsosDspsOwnClassGiveTheSameMetricsOnRealSpeech() throws Exception {
        float[] speech = Recordings.monoPcm16(Recordings.CODEC2_SPEECH);
        Map<String, Double> tarsos =
                Feeding.analyze(
                        pitch, MONO, StageConfig.of(Map.of("yin", "tarsos")), speech, 4000, false);
        Map<String, Double> vectorized =
                Feeding.analyze(
                        pitch,
                        MONO,
                        StageConfig.of(Map.of("yin", "vectorized")),
                        speech,
                        4000,
                        false);
        assertThat(vectorized).isEqualTo(tarsos);
        assertThat(tarsos.get("voiced_ratio")).isBetween(0.2, 0.8);
    }
}
