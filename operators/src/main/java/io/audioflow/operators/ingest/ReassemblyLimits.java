package io.audioflow.operators.ingest;

import java.io.Serializable;

/**
 * Bounds on what reassembly keeps per open recording, so one misbehaving producer cannot grow state
 * without limit.
 *
 * @param maxChunks highest chunk number accepted (a recording has at most this many chunks)
 * @param maxBufferedBytes bytes that may wait behind a missing earlier chunk
 * @param idleTimeoutMs a recording with no new chunk for this long is closed as incomplete
 * @param tombstoneMs how long a finished recording is remembered, to reject late chunks
 */
public record ReassemblyLimits(
        long maxChunks, long maxBufferedBytes, long idleTimeoutMs, long tombstoneMs)
        implements Serializable {

    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(1_000_000, 64L * 1024 * 1024, 5 * 60_000L, 60 * 60_000L);
    }
}
