package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;

import be.tarsos.dsp.pitch.Yin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnvoicedScreenTest {

    @ParameterizedTest(name = "frame {0}")
    @ValueSource(ints = {64, 256, 300, 512})
    void itsDifferenceFunctionIsYinsWellWithinTheErrorItAllows(int frame) throws Exception {
        UnvoicedScreen screen = new UnvoicedScreen(frame, 0.2);
        double worst = 0;
        for (float[] x : YinTestFrames.of(frame)) {
            double[] d = screen.differences(x);
            for (int tau = 1; tau < frame / 2; tau++) {
                double direct = 0;
                for (int j = 0; j < frame / 2; j++) {
                    double delta = (double) x[j] - x[j + tau];
                    direct += delta * delta;
                }
                worst = Math.max(worst, Math.abs(d[tau] - direct) / screen.energy());
            }
        }
        assertThat(worst).isLessThan(UnvoicedScreen.FFT_ERROR / 10);
    }

    @ParameterizedTest(name = "frame {0}, threshold {1}")
    @CsvSource({"256, 0.20", "256, 0.10", "300, 0.20", "512, 0.30", "64, 0.20"})
    void aFrameItRulesOutIsOneYinFindsNoPitchIn(int frame, double threshold) throws Exception {
        UnvoicedScreen screen = new UnvoicedScreen(frame, threshold);
        Yin yin = new Yin(YinTestFrames.RATE, frame, threshold);
        int unpitched = 0, ruledOut = 0;
        for (float[] x : YinTestFrames.of(frame)) {
            boolean pitched = yin.getPitch(x).isPitched();
            if (!pitched) unpitched++;
            if (screen.cannotBeVoiced(x)) {
                ruledOut++;
                assertThat(pitched).as("a frame the screen ruled out has a YIN pitch").isFalse();
            }
        }
        // Not vacuous: most frames YIN finds no pitch in are ruled out without it.
        assertThat(unpitched).isGreaterThan(500);
        assertThat(ruledOut).isGreaterThan(unpitched / 2);
    }
}
