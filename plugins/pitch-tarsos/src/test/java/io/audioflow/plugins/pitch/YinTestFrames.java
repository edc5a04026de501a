package io.audioflow.plugins.pitch;

import io.audioflow.api.testing.Recordings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Frames of every kind at 8 kHz, many of them close to YIN's threshold. */
final class YinTestFrames {

    static final int RATE = 8000;

    private YinTestFrames() {}

    /** Real speech (codec2's recording, decimated), then 3 000 synthetic frames. */
    static List<float[]> of(int frame) throws Exception {
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
}
