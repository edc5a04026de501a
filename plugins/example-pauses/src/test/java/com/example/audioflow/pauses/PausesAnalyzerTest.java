package com.example.audioflow.pauses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.StageConfig;
import io.audioflow.api.testing.Feeding;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PausesAnalyzerTest {

    private static final AudioFormat MONO = new AudioFormat(16_000, 1);

    /** Sound and silence in turn: {@code pattern} in seconds, sound first. */
    private static float[] speechWithGaps(double... pattern) {
        int total = 0;
        for (double s : pattern) total += (int) Math.round(s * MONO.sampleRate());
        float[] x = new float[total];
        int at = 0;
        for (int i = 0; i < pattern.length; i++) {
            int n = (int) Math.round(pattern[i] * MONO.sampleRate());
            if (i % 2 == 0) {
                float[] tone = Feeding.sine(MONO, pattern[i], 220, 0.3);
                System.arraycopy(tone, 0, x, at, Math.min(n, tone.length));
            }
            at += n;
        }
        return x;
    }

    @Test
    void countsSilencesBetweenSoundsThatLastLongEnough() {
        // sound 0.5 s, pause 0.3 s, sound 0.5 s, a 0.1 s gap (too short), sound 0.5 s, pause 0.8 s,
        // sound 0.2 s, then trailing silence that is no pause
        float[] x = speechWithGaps(0.5, 0.3, 0.5, 0.1, 0.5, 0.8, 0.2, 1.0);
        for (int block : new int[] {x.length, 160, 37}) {
            Map<String, Double> m =
                    Feeding.analyze(
                            new PausesAnalyzer(), MONO, StageConfig.empty(), x, block, true);
            assertThat(m.get("count")).as("block %d", block).isEqualTo(2.0);
            assertThat(m.get("longest_s")).isCloseTo(0.8, within(0.011));
            assertThat(m.get("total_s")).isCloseTo(1.1, within(0.021));
        }
    }

    @Test
    void leadingSilenceIsNoPause() {
        Map<String, Double> m =
                Feeding.analyze(new PausesAnalyzer(), MONO, speechWithGaps(0.0, 1.0, 0.5));
        assertThat(m.get("count")).isZero();
        assertThat(m.get("longest_s")).isZero();
    }
}
