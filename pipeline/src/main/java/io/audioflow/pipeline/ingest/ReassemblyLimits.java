package io.audioflow.pipeline.ingest;

import java.io.Serializable;

/**
 * Bounds on what the streaming job keeps and accepts per recording, so one misbehaving producer
 * cannot grow state without limit or keep a recording open forever.
 *
 * @param maxChunks highest chunk number accepted (a recording has at most this many chunks)
 * @param maxBufferedBytes bytes that may wait behind a missing earlier chunk
 * @param idleTimeoutMs a recording with no new chunk for this long is closed as incomplete
 * @param tombstoneMs how long a finished recording is remembered, to reject late chunks
 * @param maxOpenRecordings recordings one reassembly subtask keeps open at once; a recording whose
 *     first chunk finds them all taken is refused ({@code too_many_open_recordings}), so that
 *     producers that open recordings and never finish them cannot grow state until the TaskManager
 *     runs out of memory
 * @param maxRecordingBytes encoded bytes one recording may have; the chunk that would pass it ends
 *     the recording as incomplete ({@code recording_too_large})
 * @param maxRecordingSeconds decoded audio one recording may have; the chunk that passes it is the
 *     last one analysed ({@code recording_too_long}): only the decoder knows a compressed chunk's
 *     duration, so this one is enforced there
 */
public record ReassemblyLimits(
        long maxChunks,
        long maxBufferedBytes,
        long idleTimeoutMs,
        long tombstoneMs,
        long maxOpenRecordings,
        long maxRecordingBytes,
        long maxRecordingSeconds)
        implements Serializable {

    /** {@code limits.max_open_recordings}' default; see deploy/README.md for its memory. */
    public static final long DEFAULT_MAX_OPEN_RECORDINGS = 10_000;

    /** {@code limits.max_recording_bytes}' default: 24 hours of 96 kHz stereo 16-bit PCM. */
    public static final long DEFAULT_MAX_RECORDING_BYTES = 96_000L * 2 * 2 * 86_400;

    /** {@code limits.max_recording_seconds}' default: a day. */
    public static final long DEFAULT_MAX_RECORDING_SECONDS = 86_400;

    /** {@code limits.max_reorder_buffer_bytes}' default. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;

    public ReassemblyLimits(
            long maxChunks, long maxBufferedBytes, long idleTimeoutMs, long tombstoneMs) {
        this(
                maxChunks,
                maxBufferedBytes,
                idleTimeoutMs,
                tombstoneMs,
                DEFAULT_MAX_OPEN_RECORDINGS,
                DEFAULT_MAX_RECORDING_BYTES,
                DEFAULT_MAX_RECORDING_SECONDS);
    }

    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(
                1_000_000, DEFAULT_MAX_BUFFERED_BYTES, 5 * 60_000L, 60 * 60_000L);
    }

    public ReassemblyLimits withMaxOpenRecordings(long max) {
        return new ReassemblyLimits(
                maxChunks,
                maxBufferedBytes,
                idleTimeoutMs,
                tombstoneMs,
                max,
                maxRecordingBytes,
                maxRecordingSeconds);
    }

    /** The limits a pipeline file's {@code limits} section sets; the timings stay. */
    public ReassemblyLimits withPerRecording(
            long maxOpen, long maxBytes, long maxSeconds, long maxBuffered) {
        return new ReassemblyLimits(
                maxChunks, maxBuffered, idleTimeoutMs, tombstoneMs, maxOpen, maxBytes, maxSeconds);
    }
}
