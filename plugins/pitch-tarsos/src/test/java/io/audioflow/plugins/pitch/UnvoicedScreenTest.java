package io.audioflow.plugins.pitch;

import static org.assertj.core.api.Assertions.assertThat;

import be.tarsos.dsp.pitch.Yin;
import io.audioflow.api.testing.Recordings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnvoicedScreenTest {

    private static final int RATE = 8000;

    /** Frames of every kind, many of them close to YIN's threshold. */
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

    @ParameterizedTest(name = "frame {0}")
    @ValueSource(ints = {64, 256, 300, 512})
    void itsDifferenceFunctionIsYinsWellWithinTheErrorItAllows(int frame) throws Exception {
        UnvoicedScreen screen = new UnvoicedScreen(frame, 0.2);
        double worst = 0;
        for (float[] x : frames(frame)) {
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
        Yin yin = new Yin(RATE, frame, threshold);
        int unpitched = 0, ruledOut = 0;
        for (float[] x : frames(frame)) {
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
