package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.Yin;
import io.audioflow.api.testing.Recordings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorizedYinTest {

    private static final int RATE = 8000;

    /**
     * Frames of every kind at 8 kHz, many of them close to YIN's threshold: real speech (codec2's
     * recording, decimated), then 3 000 synthetic frames.
     */
    private static List<float[]> frames(int frame) throws Exception {
        List<float[]> frames = new ArrayList<>();
        float[] speech =
                new HalfbandDecimator().process(Recordings.monoPcm16(Recordings.CODEC2_SPEECH));
        for (int at = 0; at + frame <= speech.length; at += frame / 2)
            frames.add(Arrays.copyOfRange(speech, at, at + frame));
        Random random = new Random(frame);
        for (int i = 0; i < 3000; i++) {
            // A tone (or none) in noise that is white or, integrated, low-pass, at an SNR from
            // -20 to +30 dB: voiced, unvoiced and everything in between.
            double hz = random.nextInt(4) == 0 ? 0 : 40 + random.nextDouble() * 1500;
            double noise = Math.pow(10, (random.nextDouble() * 50 - 30) / 20);
            boolean lowPass = random.nextBoolean();
            float[] x = new float[frame];
            double walk = 0, phase = random.nextDouble() * 2 * Math.PI;
            for (int n = 0; n < frame; n++) {
                walk = lowPass ? 0.95 * walk + random.nextGaussian() : random.nextGaussian();
                x[n] = (float) (0.5 * Math.sin(2 * Math.PI * hz * n / RATE + phase) + noise * walk);
            }
            frames.add(x);
        }
        return frames;
    }

    @ParameterizedTest(name = "frame {0}, threshold {1}")
    @CsvSource({"256, 0.20", "256, 0.10", "300, 0.20", "512, 0.30", "64, 0.20", "2048, 0.15"})
    void givesTarsosDspsYinResultBitForBit(int frame, double threshold) throws Exception {
        Yin tarsos = new Yin(RATE, frame, threshold);
        VectorizedYin vectorized = new VectorizedYin(RATE, frame, threshold);
        int pitched = 0, frames = 0;
        for (float[] x : frames(frame)) {
            PitchDetectionResult expected = new PitchDetectionResult(tarsos.getPitch(x));
            PitchDetectionResult actual = vectorized.getPitch(x);
            String at = "frame " + frames++;
            assertThat(actual.isPitched()).as(at).isEqualTo(expected.isPitched());
            assertThat(Float.floatToIntBits(actual.getPitch()))
                    .as(at + ": pitch %s, TarsosDSP %s", actual.getPitch(), expected.getPitch())
                    .isEqualTo(Float.floatToIntBits(expected.getPitch()));
            assertThat(Float.floatToIntBits(actual.getProbability()))
                    .as(at + ": probability")
                    .isEqualTo(Float.floatToIntBits(expected.getProbability()));
            if (expected.isPitched()) pitched++;
        }
        // Both outcomes are well represented.
        assertThat(pitched).isBetween(frames / 10, frames * 9 / 10);
    }
}
