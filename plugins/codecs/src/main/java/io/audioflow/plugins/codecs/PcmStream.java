package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Turns a byte stream of interleaved PCM into audio blocks, whatever the byte boundaries of the
 * pieces it is fed: a frame split across two pieces waits (at most one frame) for the rest.
 */
final class PcmStream {

    private final AudioFormat format;
    private final SampleEncoding encoding;
    private final long maxFrames;
    private byte[] partial = new byte[0];
    private long framesEmitted;

    PcmStream(AudioFormat format, SampleEncoding encoding, long maxFrames) {
        this.format = format;
        this.encoding = encoding;
        this.maxFrames = maxFrames;
    }

    AudioFormat format() {
        return format;
    }

    long framesEmitted() {
        return framesEmitted;
    }

    void feed(byte[] data, int offset, int length, Consumer<AudioBlock> out) {
        int frameBytes = encoding.bytes * format.channels();
        byte[] src = data;
        int start = offset;
        int available = length;
        if (partial.length > 0) {
            src = new byte[partial.length + length];
            System.arraycopy(partial, 0, src, 0, partial.length);
            System.arraycopy(data, offset, src, partial.length, length);
            start = 0;
            available = src.length;
        }
        int frames = available / frameBytes;
        if (frames > 0) {
            if (framesEmitted + frames > maxFrames) {
                throw new ValidationException(
                        ErrorCode.TOO_LARGE,
                        "recording is longer than the limit of "
                                + maxFrames
                                + " frames; raise `max_duration_s` in the decode stage's config if this is intended");
            }
            int samples = frames * format.channels();
            float[] decoded =
                    encoding.decode(src, start, samples, framesEmitted * format.channels());
            out.accept(new AudioBlock(format, framesEmitted, decoded));
            framesEmitted += frames;
        }
        int used = frames * frameBytes;
        partial = Arrays.copyOfRange(src, start + used, start + available);
    }

    /** Bytes of an incomplete final frame, dropped at the end as decoders (ffmpeg, sox) do. */
    int pendingBytes() {
        return partial.length;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeLong(framesEmitted);
        out.writeInt(partial.length);
        out.write(partial);
    }

    void readFrom(DataInput in) throws IOException {
        framesEmitted = in.readLong();
        partial = new byte[in.readInt()];
        in.readFully(partial);
    }
}
