package io.audioflow.operators.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a recording came from, gathered while its chunks arrive: the result reports it so an
 * analyst can find the input messages again, and the producer's {@code audio.meta.*} headers.
 */
public class SourceSpan {
    public String topic = "";
    public int partition = -1;
    public long firstOffset = -1;
    public long lastOffset = -1;
    public long chunks;

    /** Encoded bytes of the chunks accepted, for {@code limits.max_recording_bytes}. */
    public long bytes;

    /** Kafka timestamps (ms since the epoch) of the earliest and latest chunk; -1 without. */
    public long firstTimestamp = -1;

    public long lastTimestamp = -1;

    /** Union of the chunks' {@code audio.meta.*} headers; the first chunk that names a key wins. */
    public Map<String, String> metadata = new LinkedHashMap<>();

    public SourceSpan() {}

    /** Adds one accepted chunk. */
    public void add(EncodedChunk chunk) {
        chunks++;
        bytes += chunk.data.length;
        if (chunk.offset >= 0) {
            topic = chunk.topic;
            partition = chunk.partition;
            firstOffset = firstOffset < 0 ? chunk.offset : Math.min(firstOffset, chunk.offset);
            lastOffset = Math.max(lastOffset, chunk.offset);
        }
        if (chunk.timestamp >= 0) {
            firstTimestamp =
                    firstTimestamp < 0
                            ? chunk.timestamp
                            : Math.min(firstTimestamp, chunk.timestamp);
            lastTimestamp = Math.max(lastTimestamp, chunk.timestamp);
        }
        chunk.metadata.forEach(metadata::putIfAbsent);
    }
}
