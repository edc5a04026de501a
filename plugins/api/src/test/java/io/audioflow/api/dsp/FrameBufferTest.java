package io.audioflow.api.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameBufferTest {

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }

    @Test
    void cutsOverlappingFramesAcrossBlocksAndCheckpoints() throws Exception {
        FrameBuffer buffer = new FrameBuffer(4, 2);
        List<float[]> frames = new ArrayList<>();
        float[] x = ramp(10);
        for (int i = 0; i < x.length; i += 3) {
            buffer.push(
                    Arrays.copyOfRange(x, i, Math.min(x.length, i + 3)),
                    f -> frames.add(f.clone()));
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            buffer.writeTo(new DataOutputStream(state));
            buffer = new FrameBuffer(4, 2);
            buffer.readFrom(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
        }
        assertThat(frames)
                .containsExactly(
                        new float[] {0, 1, 2, 3},
                        new float[] {2, 3, 4, 5},
                        new float[] {4, 5, 6, 7},
                        new float[] {6, 7, 8, 9});
    }

    @Test
    void refusesAHopThatWouldSkipSamples() {
        assertThatThrownBy(() -> new FrameBuffer(4, 5))
                .hasMessageContaining("hop must be between 1 and the frame length 4");
    }
}
