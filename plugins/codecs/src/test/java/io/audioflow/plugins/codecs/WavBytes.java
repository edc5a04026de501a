package io.audioflow.plugins.codecs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds RIFF/WAVE byte streams for tests, including deliberately broken ones. */
final class WavBytes {

    private int formatTag = 1;
    private int channels = 1;
    private int sampleRate = 16_000;
    private int bits = 16;
    private boolean extensible;
    private byte[] data = new byte[0];
    private Long declaredDataSize;
    private boolean listChunkBeforeData;

    static WavBytes pcm16(int sampleRate, int channels, short... samples) {
        WavBytes w = new WavBytes();
        w.sampleRate = sampleRate;
        w.channels = channels;
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) b.putShort(s);
        w.data = b.array();
        return w;
    }

    WavBytes format(int tag, int bits, byte[] data) {
        this.formatTag = tag;
        this.bits = bits;
        this.data = data;
        return this;
    }

    WavBytes channels(int channels) {
        this.channels = channels;
        return this;
    }

    WavBytes sampleRate(int sampleRate) {
        this.sampleRate = sampleRate;
        return this;
    }

    WavBytes extensible() {
        this.extensible = true;
        return this;
    }

    WavBytes declaredDataSize(long size) {
        this.declaredDataSize = size;
        return this;
    }

    WavBytes withListChunk() {
        this.listChunkBeforeData = true;
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer fmt = ByteBuffer.allocate(8 + fmtSize).order(ByteOrder.LITTLE_ENDIAN);
        fmt.put("fmt ".getBytes()).putInt(fmtSize);
        fmt.putShort((short) (extensible ? 0xFFFE : formatTag)).putShort((short) channels);
        fmt.putInt(sampleRate).putInt(sampleRate * channels * bits / 8);
        fmt.putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            fmt.putShort((short) 22).putShort((short) bits).putInt(0);
            fmt.putShort((short) formatTag); // sub-format GUID starts with the format tag
            fmt.put(
                    new byte[] {
                        0,
                        0,
                        0,
                        0,
                        0x10,
                        0,
                        (byte) 0x80,
                        0,
                        0,
                        (byte) 0xAA,
                        0,
                        0x38,
                        (byte) 0x9B,
                        0x71
                    });
        }
        ByteBuffer list =
                ByteBuffer.allocate(listChunkBeforeData ? 8 + 5 + 1 : 0)
                        .order(ByteOrder.LITTLE_ENDIAN);
        if (listChunkBeforeData)
            list.put("LIST".getBytes()).putInt(5).put("INFOx".getBytes()).put((byte) 0);
        ByteBuffer dataHeader = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        dataHeader
                .put("data".getBytes())
                .putInt((int) (declaredDataSize != null ? declaredDataSize : data.length));
        ByteBuffer riff = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes())
                .putInt(4 + fmt.capacity() + list.capacity() + 8 + data.length)
                .put("WAVE".getBytes());
        out.writeBytes(riff.array());
        out.writeBytes(fmt.array());
        out.writeBytes(list.array());
        out.writeBytes(dataHeader.array());
        out.writeBytes(data);
        return out.toByteArray();
    }
}
