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
 * @param maxOpenRecordings recordings one reassembly subtask keeps open at once; a recording whose
 *     first chunk finds them all taken is refused ({@code too_many_open_recordings}), so that
 *     producers that open recordings and never finish them cannot grow state until the TaskManager
 *     runs out of memory
 */
public record ReassemblyLimits(
        long maxChunks,
        long maxBufferedBytes,
        long idleTimeoutMs,
        long tombstoneMs,
        long maxOpenRecordings)
        implements Serializable {

    /** {@code limits.max_open_recordings}' default; see deploy/README.md for its memory. */
    public static final long DEFAULT_MAX_OPEN_RECORDINGS = 10_000;

    public ReassemblyLimits(
            long maxChunks, long maxBufferedBytes, long idleTimeoutMs, long tombstoneMs) {
        this(maxChunks, maxBufferedBytes, idleTimeoutMs, tombstoneMs, DEFAULT_MAX_OPEN_RECORDINGS);
    }

    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(1_000_000, 64L * 1024 * 1024, 5 * 60_000L, 60 * 60_000L);
    }

    public ReassemblyLimits withMaxOpenRecordings(long max) {
        return new ReassemblyLimits(maxChunks, maxBufferedBytes, idleTimeoutMs, tombstoneMs, max);
    }
}
