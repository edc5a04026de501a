package io.audioflow.plugins.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.testing.Feeding;
import io.audioflow.api.testing.Recordings;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WADA on real speech (codec2's 16 kHz reference recording, from Debian's codec2-examples, which
 * .ci/run installs) mixed with white noise at known SNRs, the SNR taken over the whole file.
 */
class WadaRealSpeechTest {

    private static float[] speech() throws Exception {
        return Recordings.monoPcm16(Recordings.CODEC2_SPEECH);
    }

    @ParameterizedTest(name = "{0} dB")
    @ValueSource(ints = {0, 5, 10, 20, 30})
    void estimatesTheSnrOfSpeechInWhiteNoiseWithinTwoDb(int snr) throws Exception {
        float[] clean = speech();
        double power = 0;
        for (float v : clean) power += (double) v * v;
        double noiseRms = Math.sqrt(power / clean.length / Math.pow(10, snr / 10.0));
        Random random = new Random(snr);
        float[] noisy = new float[clean.length];
        for (int i = 0; i < clean.length; i++)
            noisy[i] = (float) (clean[i] + noiseRms * random.nextGaussian());
        double estimate =
                Feeding.analyze(new WadaSnr(), new AudioFormat(16_000, 1), noisy).get("wada_db");
        assertThat(estimate).isCloseTo(snr, within(2.0));
    }
}
