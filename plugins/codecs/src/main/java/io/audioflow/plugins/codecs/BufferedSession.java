package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioDecoder.DecoderSession;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Collects a container's bytes, up to a limit, and decodes them when the last piece arrives. The
 * limit keeps a producer that never sends the last chunk, or a header that lies, from exhausting
 * memory.
 */
final class BufferedSession implements DecoderSession {

    private final WholeStreamDecoder decoder;
    private final String formatName;
    private final long maxBytes;
    private final long maxDurationSeconds;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private AudioFormat format;

    BufferedSession(
            WholeStreamDecoder decoder, String formatName, long maxBytes, long maxDurationSeconds) {
        this.decoder = decoder;
        this.formatName = formatName;
        this.maxBytes = maxBytes;
        this.maxDurationSeconds = maxDurationSeconds;
    }

    @Override
    public void feed(byte[] data, Consumer<AudioBlock> out) {
        if (bytes.size() + (long) data.length > maxBytes) {
            throw new ValidationException(
                    ErrorCode.TOO_LARGE,
                    formatName
                            + " recording exceeds "
                            + maxBytes / (1024 * 1024)
                            + " MiB; raise `max_encoded_mb` in the decode stage's config if this is intended");
        }
        bytes.write(data, 0, data.length);
    }

    @Override
    public void finish(Consumer<AudioBlock> out) {
        if (bytes.size() == 0) {
            throw new ValidationException(ErrorCode.EMPTY_AUDIO, formatName + " input is empty");
        }
        long[] frames = {0};
        decoder.decode(
                bytes.toByteArray(),
                block -> {
                    if (format == null) format = block.format();
                    frames[0] += block.frames();
                    if (frames[0] > maxDurationSeconds * block.format().sampleRate()) {
                        throw new ValidationException(
                                ErrorCode.TOO_LARGE,
                                "recording is longer than "
                                        + maxDurationSeconds
                                        + " s; raise `max_duration_s` in the decode stage's config if this is intended");
                    }
                    out.accept(block);
                });
        if (frames[0] == 0) {
            throw new ValidationException(
                    ErrorCode.EMPTY_AUDIO, formatName + " stream holds no audio frame");
        }
    }

    @Override
    public AudioFormat format() {
        return format;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(bytes.size());
        out.write(bytes.toByteArray());
    }

    void readFrom(DataInput in) throws IOException {
        byte[] stored = new byte[in.readInt()];
        in.readFully(stored);
        bytes.write(stored, 0, stored.length);
    }
}
