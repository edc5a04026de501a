package io.audioflow.plugins.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.AudioFormat;
import io.audioflow.api.testing.Feeding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrimPluginTest {

    private static final AudioFormat STEREO = new AudioFormat(16_000, 2);
    private final TrimPlugin plugin = new TrimPlugin();

    private Feeding.Processed run(float[] x, int blockFrames, Map<String, Object> config) {
        return Feeding.process(plugin, STEREO, Feeding.context(plugin, config), x, blockFrames);
    }

    /** Tone and silence in turn, {@code seconds} each, starting with silence. */
    private static float[] silenceAndTone(double... seconds) {
        List<float[]> parts = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++)
            parts.add(
                    i % 2 == 0
                            ? new float[(int) Math.round(seconds[i] * 16_000) * 2]
                            : Feeding.sine(STEREO, seconds[i], 440, 0.3));
        float[] x = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int p = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, x, p, a.length);
            p += a.length;
        }
        return x;
    }

    @Test
    void dropsLeadingAndTrailingSilenceButKeepsAPauseWhateverTheBlocks() throws Exception {
        float[] x = silenceAndTone(1.0, 1.0, 0.5, 1.0, 1.0);
        Feeding.Processed whole = run(x, x.length / 2, Map.of());
        // 2 s of tone and the 0.5 s pause between them
        assertThat(whole.samples().length).isEqualTo((int) (2.5 * 16_000) * 2);
        assertThat(whole.samples())
                .isEqualTo(Arrays.copyOfRange(x, 16_000 * 2, (int) (3.5 * 16_000) * 2));
        assertThat(whole.changes())
                .containsEntry("trim_leading_s", "1.000")
                .containsEntry("trim_trailing_s", "1.000")
                .containsEntry("trim_threshold_dbfs", "-50.0");
        for (int block : new int[] {7, 160, 4000}) {
            Feeding.Processed t = run(x, block, Map.of());
            assertThat(t.samples()).as("blocks of %d frames", block).isEqualTo(whole.samples());
        }
    }

    @Test
    void outputFramesAreNumberedFromZeroWithoutGaps() throws Exception {
        // Downstream stages see one continuous stream, however the silence was cut.
        assertThat(run(silenceAndTone(0.3, 0.5, 0.2, 0.5, 0.1), 123, Map.of()).contiguous())
                .isTrue();
        assertThat(run(silenceAndTone(0.0, 1.0, 5.0), 1000, Map.of("max_held_s", 2.0)).contiguous())
                .isTrue();
    }

    @Test
    void holdsBackAtMostMaxHeldSecondsOfTrailingSilence() throws Exception {
        float[] x = silenceAndTone(0.0, 1.0, 5.0);
        Feeding.Processed t = run(x, 1000, Map.of("max_held_s", 2.0));
        // 5 s of trailing silence: 3 s go out, the last 2 s are trimmed
        assertThat(t.samples().length).isEqualTo(4 * 16_000 * 2);
        assertThat(t.changes()).containsEntry("trim_trailing_s", "2.000");
    }

    @Test
    void aRecordingWithoutSoundComesOutEmpty() throws Exception {
        Feeding.Processed t = run(new float[16_000 * 2], 500, Map.of());
        assertThat(t.samples()).isEmpty();
        assertThat(t.changes()).containsEntry("trim_leading_s", "1.000");
    }
}
