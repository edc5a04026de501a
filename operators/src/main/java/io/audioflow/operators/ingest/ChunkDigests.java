package io.audioflow.operators.ingest;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Digests of a recording's latest {@link #WINDOW} chunks, by chunk number, so that a chunk that
 * arrives again can be told apart: the same bytes are a producer's retry (dropped and counted),
 * other bytes are conflicting data (a dead letter). A window, not every chunk, so that a long
 * recording's state stays the same size; a retry of an older chunk cannot be checked and counts as
 * a retry.
 *
 * <p>Kept as one {@code long[]} of (chunk number, digest) pairs in a ring, grown as chunks come up
 * to the window: one state value per recording, on either state backend.
 */
final class ChunkDigests {

    /** Chunks remembered: a producer retries what it sent recently. */
    static final int WINDOW = 64;

    private static final long EMPTY = -1;

    private ChunkDigests() {}

    /** CRC-32C of the bytes with their length: enough to tell a retry from different data. */
    static long digest(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (crc.getValue() << 32) | (data.length & 0xFFFF_FFFFL);
    }

    /** The ring with {@code seq}'s digest in it; {@code ring} may be null or be returned grown. */
    static long[] remember(long[] ring, long seq, long digest) {
        int slot = (int) (seq % WINDOW);
        long[] r = ring == null ? new long[0] : ring;
        if (r.length < 2 * (slot + 1)) {
            int old = r.length;
            r = Arrays.copyOf(r, Math.min(2 * WINDOW, Math.max(2 * (slot + 1), 2 * old)));
            for (int i = old; i < r.length; i += 2) r[i] = EMPTY;
        }
        r[2 * slot] = seq;
        r[2 * slot + 1] = digest;
        return r;
    }

    /** {@code seq}'s digest, or null when it is not (or no longer) in the window. */
    static Long recalled(long[] ring, long seq) {
        int slot = (int) (seq % WINDOW);
        if (ring == null || 2 * slot + 1 >= ring.length || ring[2 * slot] != seq) return null;
        return ring[2 * slot + 1];
    }
}
