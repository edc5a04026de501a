package io.audioflow.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkDigestsTest {

    @Test
    void remembersTheLatestWindowOfChunksInBoundedSpace() {
        long[] ring = null;
        for (long seq = 0; seq < 100; seq++) ring = ChunkDigests.remember(ring, seq, seq * 31);
        assertThat(ring).hasSize(2 * ChunkDigests.WINDOW);
        assertThat(ChunkDigests.recalled(ring, 99)).isEqualTo(99 * 31);
        assertThat(ChunkDigests.recalled(ring, 100 - ChunkDigests.WINDOW))
                .isEqualTo((100 - ChunkDigests.WINDOW) * 31L);
        assertThat(ChunkDigests.recalled(ring, 99 - ChunkDigests.WINDOW)).as("evicted").isNull();
        assertThat(ChunkDigests.recalled(ring, 100)).as("not yet seen").isNull();
    }

    @Test
    void growsOnlyAsFarAsTheChunksSeen() {
        long[] ring = ChunkDigests.remember(null, 0, 5);
        ring = ChunkDigests.remember(ring, 1, 6);
        assertThat(ring.length).isLessThanOrEqualTo(4);
        assertThat(ChunkDigests.recalled(ring, 1)).isEqualTo(6);
        assertThat(ChunkDigests.recalled(ring, 2)).isNull();
        assertThat(ChunkDigests.recalled(null, 0)).isNull();
    }

    @Test
    void tellsDifferentBytesAndLengthsApart() {
        assertThat(ChunkDigests.digest(new byte[] {1, 2, 3}))
                .isEqualTo(ChunkDigests.digest(new byte[] {1, 2, 3}))
                .isNotEqualTo(ChunkDigests.digest(new byte[] {1, 2, 4}))
                .isNotEqualTo(ChunkDigests.digest(new byte[] {1, 2, 3, 0}));
    }
}
