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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Incremental RIFF/WAVE decoder. It buffers only chunk headers and the {@code fmt } chunk, skips
 * other chunks without storing them, and streams the {@code data} chunk. A data size larger than
 * what arrives (streaming writers put 0xFFFFFFFF or 0x7FFFF000 there) is not an error: what is
 * present is decoded.
 */
final class WavSession implements DecoderSession {

    private static final int MAX_FMT_BYTES = 1024;
    private static final int MAX_CHANNELS = 64;
    private static final int MAX_SAMPLE_RATE = 768_000;

    private enum Phase {
        RIFF_HEADER,
        CHUNK_HEADER,
        FMT_BODY,
        SKIP,
        DATA,
        TRAILER
    }

    private final long maxDurationSeconds;
    private Phase phase = Phase.RIFF_HEADER;
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private long remaining; // bytes left in the current FMT_BODY, SKIP or DATA chunk
    private int formatTag;
    private int channels;
    private int sampleRate;
    private int bitsPerSample;
    private PcmStream pcm;

    WavSession(long maxDurationSeconds) {
        this.maxDurationSeconds = maxDurationSeconds;
    }

    @Override
    public AudioFormat format() {
        return pcm == null ? null : pcm.format();
    }

    @Override
    public void feed(byte[] data, Consumer<AudioBlock> out) {
        int pos = 0;
        while (pos < data.length) {
            switch (phase) {
                case RIFF_HEADER -> {
                    pos = fillHeader(data, pos, 12);
                    if (header.size() == 12) checkRiffHeader();
                }
                case CHUNK_HEADER -> {
                    pos = fillHeader(data, pos, 8);
                    if (header.size() == 8) startChunk(out);
                }
                case FMT_BODY -> {
                    pos = fillHeader(data, pos, (int) remaining);
                    if (header.size() == remaining) parseFmt();
                }
                case SKIP -> {
                    int n = (int) Math.min(remaining, data.length - pos);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) phase = Phase.CHUNK_HEADER;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, data.length - pos);
                    pcm.feed(data, pos, n, out);
                    pos += n;
                    remaining -= n;
                    if (remaining == 0) phase = Phase.TRAILER;
                }
                case TRAILER -> pos = data.length; // chunks after data (LIST, id3) carry no audio
            }
        }
    }

    private int fillHeader(byte[] data, int pos, int wanted) {
        int n = Math.min(wanted - header.size(), data.length - pos);
        header.write(data, pos, n);
        return pos + n;
    }

    private void checkRiffHeader() {
        byte[] h = header.toByteArray();
        String riff = new String(h, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
        String wave = new String(h, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
        if (!riff.equals("RIFF") || !wave.equals("WAVE")) {
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO,
                    "not a RIFF/WAVE stream (starts with `"
                            + printable(h, 4)
                            + "`); set the format to the audio's real encoding");
        }
        header.reset();
        phase = Phase.CHUNK_HEADER;
    }

    private void startChunk(Consumer<AudioBlock> out) {
        ByteBuffer h = ByteBuffer.wrap(header.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        String id = printable(header.toByteArray(), 4);
        long size = Integer.toUnsignedLong(h.getInt(4));
        header.reset();
        switch (id) {
            case "fmt " -> {
                if (size < 16 || size > MAX_FMT_BYTES) {
                    throw new ValidationException(
                            ErrorCode.MALFORMED_AUDIO,
                            "WAV fmt chunk has size " + size + "; expected 16 to " + MAX_FMT_BYTES);
                }
                remaining = size;
                phase = Phase.FMT_BODY;
            }
            case "data" -> {
                if (pcm == null) {
                    throw new ValidationException(
                            ErrorCode.MALFORMED_AUDIO, "WAV data chunk comes before the fmt chunk");
                }
                remaining = size == 0 ? Long.MAX_VALUE : size; // 0: size unknown (streamed)
                phase = Phase.DATA;
            }
            default -> {
                remaining = size + (size & 1); // chunks are padded to even sizes
                phase = remaining == 0 ? Phase.CHUNK_HEADER : Phase.SKIP;
            }
        }
    }

    private void parseFmt() {
        ByteBuffer f = ByteBuffer.wrap(header.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int tag = f.getShort(0) & 0xFFFF;
        channels = f.getShort(2) & 0xFFFF;
        sampleRate = f.getInt(4);
        bitsPerSample = f.getShort(14) & 0xFFFF;
        if (tag == 0xFFFE) {
            if (f.capacity() < 40) {
                throw new ValidationException(
                        ErrorCode.MALFORMED_AUDIO,
                        "WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes");
            }
            tag = f.getShort(24) & 0xFFFF; // first two bytes of the sub-format GUID
            int container = bitsPerSample;
            bitsPerSample =
                    container; // valid bits may be fewer; the container width is what we read
        }
        formatTag = tag;
        if (channels == 0 || channels > MAX_CHANNELS) {
            throw new ValidationException(
                    ErrorCode.INVALID_CHANNELS,
                    "WAV header declares " + channels + " channels; expected 1 to " + MAX_CHANNELS);
        }
        if (sampleRate <= 0 || sampleRate > MAX_SAMPLE_RATE) {
            throw new ValidationException(
                    ErrorCode.INVALID_SAMPLE_RATE,
                    "WAV header declares a sample rate of "
                            + Integer.toUnsignedString(sampleRate)
                            + " Hz; expected 1 to "
                            + MAX_SAMPLE_RATE);
        }
        SampleEncoding encoding = SampleEncoding.fromWav(formatTag, bitsPerSample);
        pcm =
                new PcmStream(
                        new AudioFormat(sampleRate, channels),
                        encoding,
                        maxDurationSeconds * sampleRate);
        header.reset();
        phase = Phase.CHUNK_HEADER;
    }

    @Override
    public void finish(Consumer<AudioBlock> out) {
        if (phase == Phase.RIFF_HEADER || pcm == null) {
            throw new ValidationException(
                    ErrorCode.TRUNCATED_HEADER,
                    "WAV stream ended inside its header, before any audio");
        }
        if (phase != Phase.DATA && phase != Phase.TRAILER) {
            throw new ValidationException(
                    ErrorCode.TRUNCATED_HEADER, "WAV stream ended before its data chunk");
        }
        if (pcm.framesEmitted() == 0) {
            throw new ValidationException(
                    ErrorCode.EMPTY_AUDIO, "WAV data chunk holds no complete audio frame");
        }
    }

    private static String printable(byte[] bytes, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, bytes.length); i++) {
            char c = (char) (bytes[i] & 0xFF);
            s.append(c >= 32 && c < 127 ? c : '?');
        }
        return s.toString();
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(phase.ordinal());
        byte[] h = header.toByteArray();
        out.writeInt(h.length);
        out.write(h);
        out.writeLong(remaining);
        out.writeInt(formatTag);
        out.writeInt(channels);
        out.writeInt(sampleRate);
        out.writeInt(bitsPerSample);
        out.writeBoolean(pcm != null);
        if (pcm != null) pcm.writeTo(out);
    }

    static WavSession readFrom(long maxDurationSeconds, DataInput in) throws IOException {
        WavSession s = new WavSession(maxDurationSeconds);
        s.phase = Phase.values()[in.readByte()];
        byte[] h = new byte[in.readInt()];
        in.readFully(h);
        s.header.write(h, 0, h.length);
        s.remaining = in.readLong();
        s.formatTag = in.readInt();
        s.channels = in.readInt();
        s.sampleRate = in.readInt();
        s.bitsPerSample = in.readInt();
        if (in.readBoolean()) {
            s.pcm =
                    new PcmStream(
                            new AudioFormat(s.sampleRate, s.channels),
                            SampleEncoding.fromWav(s.formatTag, s.bitsPerSample),
                            maxDurationSeconds * s.sampleRate);
            s.pcm.readFrom(in);
        }
        return s;
    }
}
