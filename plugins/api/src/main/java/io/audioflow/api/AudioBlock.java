package io.audioflow.api;

/**
 * A run of decoded audio handed to a stage. The sample array belongs to the block and must not be
 * modified by a consumer, nor kept after the call returns: Flink may reuse or serialize it.
 *
 * @param startFrame index of the first frame of this block within the recording
 * @param samples interleaved samples, {@code frames() * format.channels()} long
 */
public record AudioBlock(AudioFormat format, long startFrame, float[] samples) {

    public AudioBlock {
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
}
