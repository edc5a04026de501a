package io.audioflow.api;

import java.io.Serializable;

/** Decoded PCM layout: samples are 32-bit floats in [-1, 1], interleaved by channel. */
public record AudioFormat(int sampleRate, int channels) implements Serializable {

    public AudioFormat {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive");
        if (channels <= 0) throw new IllegalArgumentException("channel count must be positive");
    }

    @Override
    public String toString() {
        return sampleRate
                + " Hz "
                + (channels == 1 ? "mono" : channels == 2 ? "stereo" : channels + " ch");
    }
}
