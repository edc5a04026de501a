package io.audioflow.api;

import java.util.List;
import java.util.Optional;

/**
 * A run of decoded audio handed to a stage. The sample array belongs to the block and must not be
 * modified by a consumer, nor kept after the call returns: Flink may reuse or serialize it.
 *
 * @param startFrame index of the first frame of this block within the recording
 * @param samples interleaved samples, {@code frames() * format.channels()} long
 * @param tracks per-frame products of upstream stages computed on this audio (see {@link
 *     FrameTrack}); empty unless the stage's upstream declares products
 */
public record AudioBlock(
        AudioFormat format, long startFrame, float[] samples, List<FrameTrack> tracks) {

    public AudioBlock(AudioFormat format, long startFrame, float[] samples) {
        this(format, startFrame, samples, List.of());
    }

    public AudioBlock {
        tracks = List.copyOf(tracks);
        if (samples.length % format.channels() != 0) {
            throw new IllegalArgumentException(
                    "sample count "
                            + samples.length
                            + " is not a multiple of "
                            + format.channels()
                            + " channels");
        }
    }

    public int frames() {
        return samples.length / format.channels();
    }

    public double durationSeconds() {
        return (double) frames() / format.sampleRate();
    }

    /** The upstream product of this name that came with this block, if any. */
    public Optional<FrameTrack> track(String name) {
        for (FrameTrack t : tracks) if (t.name().equals(name)) return Optional.of(t);
        return Optional.empty();
    }
}
