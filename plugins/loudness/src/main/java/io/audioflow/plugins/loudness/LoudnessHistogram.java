package io.audioflow.plugins.loudness;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Block loudness values in 0.1 LU bins from -70 to +30 LUFS, with each bin's summed energy, so
 * gating needs bounded memory however long the recording is. Means are exact (energies are summed,
 * not bin centres); only a block within 0.1 LU of a relative gate can be misplaced.
 */
final class LoudnessHistogram {

    static final double MIN_LUFS = -70.0;
    private static final double BIN_LU = 0.1;
    private static final int BINS = 1_000;

    private final int[] counts = new int[BINS];
    private final double[] energies = new double[BINS];

    static double loudness(double energy) {
        return -0.691 + 10.0 * Math.log10(energy);
    }

    static double energy(double loudness) {
        return Math.pow(10.0, (loudness + 0.691) / 10.0);
    }

    /** Adds a block that passed the absolute gate (loudness above -70 LUFS). */
    void add(double blockEnergy) {
        double l = loudness(blockEnergy);
        if (!(l > MIN_LUFS)) return;
        int bin = (int) Math.min(BINS - 1, Math.floor((l - MIN_LUFS) / BIN_LU));
        counts[bin]++;
        energies[bin] += blockEnergy;
    }

    private int binOf(double loudness) {
        return (int) Math.max(0, Math.min(BINS - 1, Math.floor((loudness - MIN_LUFS) / BIN_LU)));
    }

    /** Loudness of the mean energy of the blocks at or above {@code gate}, or NaN if none. */
    double gatedLoudness(double gate) {
        long n = 0;
        double e = 0;
        for (int b = binOf(gate); b < BINS; b++) {
            n += counts[b];
            e += energies[b];
        }
        return n == 0 ? Double.NaN : loudness(e / n);
    }

    /** The relative gate of BS.1770: {@code offsetLu} below the absolute-gated mean. */
    double relativeGate(double offsetLu) {
        return gatedLoudness(MIN_LUFS) + offsetLu;
    }

    /** The loudness below which {@code fraction} of the blocks at or above {@code gate} lie. */
    double percentile(double gate, double fraction) {
        int from = binOf(gate);
        long total = 0;
        for (int b = from; b < BINS; b++) total += counts[b];
        if (total == 0) return Double.NaN;
        long rank = (long) Math.floor(fraction * (total - 1));
        long seen = 0;
        for (int b = from; b < BINS; b++) {
            seen += counts[b];
            if (seen > rank)
                return energies[b] > 0 ? loudness(energies[b] / counts[b]) : MIN_LUFS + b * BIN_LU;
        }
        return Double.NaN;
    }

    boolean isEmpty() {
        for (int c : counts) if (c != 0) return false;
        return true;
    }

    /** Sparse: a recording fills a few hundred bins, not a thousand. */
    void writeTo(DataOutput out) throws IOException {
        int used = 0;
        for (int c : counts) if (c != 0) used++;
        out.writeInt(used);
        for (int b = 0; b < BINS; b++) {
            if (counts[b] != 0) {
                out.writeShort(b);
                out.writeInt(counts[b]);
                out.writeDouble(energies[b]);
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        int used = in.readInt();
        for (int i = 0; i < used; i++) {
            int b = in.readUnsignedShort();
            counts[b] = in.readInt();
            energies[b] = in.readDouble();
        }
    }
}
