package io.audioflow.api;

/**
 * Per-frame values one stage computed on the audio and hands to the stages after it, so they do not
 * compute them again (an analyzer that declares {@link PluginInfo#products()} attaches them to the
 * audio it passes on). Frame {@code firstFrame + i} covers the samples {@code [(firstFrame + i) ·
 * hop, (firstFrame + i) · hop + frameLength)} of the producing stage's input, and {@code values[i]}
 * is its value. A track holds the frames completed by the block it travels with.
 *
 * @param name {@code <plugin>.<product>}, e.g. {@code vad.speech}
 */
public record FrameTrack(String name, int hop, int frameLength, long firstFrame, float[] values) {

    public FrameTrack {
        if (hop <= 0 || frameLength <= 0)
            throw new IllegalArgumentException("hop and frame length must be positive");
    }

    /** The first frame after this track's frames. */
    public long endFrame() {
        return firstFrame + values.length;
    }
}
