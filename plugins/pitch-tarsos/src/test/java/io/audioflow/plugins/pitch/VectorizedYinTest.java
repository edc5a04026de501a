package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.Yin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VectorizedYinTest {

    @ParameterizedTest(name = "frame {0}, threshold {1}")
    @CsvSource({"256, 0.20", "256, 0.10", "300, 0.20", "512, 0.30", "64, 0.20", "2048, 0.15"})
    void givesTarsosDspsYinResultBitForBit(int frame, double threshold) throws Exception {
        Yin tarsos = new Yin(YinTestFrames.RATE, frame, threshold);
        VectorizedYin vectorized = new VectorizedYin(YinTestFrames.RATE, frame, threshold);
        int pitched = 0, frames = 0;
        for (float[] x : YinTestFrames.of(frame)) {
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
