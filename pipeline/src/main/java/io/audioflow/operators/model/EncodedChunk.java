package io.audioflow.operators.model;

import java.util.LinkedHashMap;
import java.util.Map;

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

    /** Set on the closing chunk of a recording that timed out before its last chunk arrived. */
    public boolean incomplete;

    /**
     * Why an incomplete recording ended ({@code idle_timeout}, {@code end_of_input}, {@code
     * recording_too_large}); null on a recording that ended with its last chunk.
     */
    public String incompleteReason;

    /** {@code audio.meta.*} headers (prefix removed), carried into the result unchanged. */
    public Map<String, String> metadata = new LinkedHashMap<>();

    /** Where the message came from, for results and dead letters; empty for local files. */
    public String topic = "";

    public int partition = -1;
    public long offset = -1;
    public long timestamp = -1;

    /** Set by reassembly on a recording's closing chunk only: what arrived, and from where. */
    public SourceSpan span;

    /** The message's original headers, kept so a dead letter can carry them unchanged. */
    public String[] headerKeys = new String[0];

    public byte[][] headerValues = new byte[0][];

    /**
     * The configuration in effect: stamped on arrival with the latest one, then pinned by
     * reassembly to the one the recording's first chunk saw, on all of its chunks. Null for the
     * submitted configuration.
     */
    public PipelineVersion config;

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
