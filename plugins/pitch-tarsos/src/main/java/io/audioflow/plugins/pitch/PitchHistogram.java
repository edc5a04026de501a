package io.audioflow.plugins.pitch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Voiced-frame pitches in 10-cent bins from 30 Hz up, so the median costs bounded memory. A bin is
 * 0.58 % wide; the median reported is its centre, well inside the ±3 % that pitch trackers agree
 * to.
 */
final class PitchHistogram {

    private static final double LOW_HZ = 30.0;
    private static final double CENTS_PER_BIN = 10.0;
    private static final int BINS = 700; // 30 Hz · 2^(7000/1200) ≈ 1.7 kHz

    private final int[] counts = new int[BINS];
    private long total;

    void add(double hz) {
        int bin = (int) Math.floor(1200 * Math.log(hz / LOW_HZ) / Math.log(2) / CENTS_PER_BIN);
        counts[Math.max(0, Math.min(BINS - 1, bin))]++;
        total++;
    }

    void addAll(PitchHistogram other) {
        for (int b = 0; b < BINS; b++) counts[b] += other.counts[b];
        total += other.total;
    }

    PitchHistogram copy() {
        PitchHistogram copy = new PitchHistogram();
        copy.addAll(this);
        return copy;
    }

    long total() {
        return total;
    }

    double median() {
        if (total == 0) return Double.NaN;
        long half = (total - 1) / 2;
        long seen = 0;
        for (int b = 0; b < BINS; b++) {
            seen += counts[b];
            if (seen > half) return LOW_HZ * Math.pow(2, (b + 0.5) * CENTS_PER_BIN / 1200);
        }
        return Double.NaN;
    }

    void writeTo(DataOutput out) throws IOException {
        int used = 0;
        for (int c : counts) if (c != 0) used++;
        out.writeInt(used);
        for (int b = 0; b < BINS; b++) {
            if (counts[b] != 0) {
                out.writeShort(b);
                out.writeInt(counts[b]);
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        readFrom(in, in.readInt());
    }

    /** Reads the bins after their count, which the caller has read. */
    void readFrom(DataInput in, int used) throws IOException {
        for (int i = 0; i < used; i++) {
            int b = in.readUnsignedShort();
            counts[b] = in.readInt();
            total += counts[b];
        }
    }
}
