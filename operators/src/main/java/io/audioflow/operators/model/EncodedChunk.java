package io.audioflow.operators.model;

/**
 * A piece of a recording's encoded bytes, as it arrives (from a file reader or from Kafka). A Flink
 * POJO: the bytes travel as a raw byte array, never as text.
 */
public class EncodedChunk {
    public String recordingId;
    public long seq;
    public boolean last;
    public String format;
    public int sampleRate;
    public int channels;
    public byte[] data;

    public EncodedChunk() {}

    public EncodedChunk(
            String recordingId,
            long seq,
            boolean last,
            String format,
            int sampleRate,
            int channels,
            byte[] data) {
        this.recordingId = recordingId;
        this.seq = seq;
        this.last = last;
        this.format = format;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.data = data;
    }
}
