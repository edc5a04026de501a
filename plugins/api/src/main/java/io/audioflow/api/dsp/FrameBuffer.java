package io.audioflow.api.dsp;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Cuts a mono stream into frames of {@code frame} samples every {@code hop} samples, whatever the
 * block boundaries: the framing that frame-based analyzers would otherwise each write again. Its
 * state (at most one frame of samples) is written with the analyzer's own.
 */
public final class FrameBuffer {

    /** Receives each complete frame; the array is reused, so read it, never keep it. */
    @FunctionalInterface
    public interface FrameConsumer {
        void accept(float[] frame);
    }

    private final int hop;
    private final float[] buffer;
    private int filled;

    public FrameBuffer(int frame, int hop) {
        if (hop < 1 || hop > frame) {
            throw new IllegalArgumentException(
                    "hop must be between 1 and the frame length " + frame + ", got " + hop);
        }
        this.hop = hop;
        this.buffer = new float[frame];
    }

    public void push(float[] samples, FrameConsumer consumer) {
        int frame = buffer.length;
        int i = 0;
        while (i < samples.length) {
            int take = Math.min(frame - filled, samples.length - i);
            System.arraycopy(samples, i, buffer, filled, take);
            filled += take;
            i += take;
            if (filled == frame) {
                consumer.accept(buffer);
                System.arraycopy(buffer, hop, buffer, 0, frame - hop);
                filled = frame - hop;
            }
        }
    }

    /** The samples after the last complete frame's hop, for a stage that judges the tail too. */
    public float[] remainder() {
        return java.util.Arrays.copyOf(buffer, filled);
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(filled);
        for (int i = 0; i < filled; i++) out.writeFloat(buffer[i]);
    }

    public void readFrom(DataInput in) throws IOException {
        filled = in.readInt();
        for (int i = 0; i < filled; i++) buffer[i] = in.readFloat();
    }
}
