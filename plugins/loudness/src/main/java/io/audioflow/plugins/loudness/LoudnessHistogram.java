package io.audioflow.plugins.loudness;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Block loudness values in 0.1 LU bins from -70 to +30 LUFS, with each bin's summed energy, so
 * gating needs bounded memory however long the recording is. Means are exact (energies are summed,
 * not bin centres); only a block within 0.1 LU of a relative gate can be misplaced.
 *
 * <p>Only the span of bins the recording has reached is kept: a recording fills a few hundred of
 * the thousand, and its session stays on the heap for as long as the recording is open.
 */
final class LoudnessHistogram {

    static final double MIN_LUFS = -70.0;
    private static final double BIN_LU = 0.1;
    private static final int BINS = 1_000;
    private static final int FIRST_SPAN = 64; // bins: 6.4 LU around the first block

    private int low; // the bin at index 0 of the arrays
    private int[] counts = new int[0];
    private double[] energies = new double[0];

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
        reach(bin);
        counts[bin - low]++;
        energies[bin - low] += blockEnergy;
    }

    /** Widens the kept span to include {@code bin}, at least doubling it so widening is rare. */
    private void reach(int bin) {
        int high = low + counts.length;
        if (counts.length > 0 && bin >= low && bin < high) return;
        int from, to;
        if (counts.length == 0) {
            from = Math.max(0, Math.min(bin - FIRST_SPAN / 2, BINS - FIRST_SPAN));
            to = from + FIRST_SPAN;
        } else if (bin < low) {
            from = Math.max(0, low - Math.max(counts.length, low - bin));
            to = high;
        } else {
            from = low;
            to = Math.min(BINS, high + Math.max(counts.length, bin - high + 1));
        }
        int[] c = new int[to - from];
        double[] e = new double[to - from];
        if (counts.length > 0) {
            System.arraycopy(counts, 0, c, low - from, counts.length);
            System.arraycopy(energies, 0, e, low - from, energies.length);
        }
        low = from;
        counts = c;
        energies = e;
    }

    private int binOf(double loudness) {
        return (int) Math.max(0, Math.min(BINS - 1, Math.floor((loudness - MIN_LUFS) / BIN_LU)));
    }

    /** The first index of the kept span at or above {@code gate}'s bin. */
    private int indexOf(double gate) {
        return Math.max(0, binOf(gate) - low);
    }

    /** Loudness of the mean energy of the blocks at or above {@code gate}, or NaN if none. */
    double gatedLoudness(double gate) {
        long n = 0;
        double e = 0;
        for (int i = indexOf(gate); i < counts.length; i++) {
            n += counts[i];
            e += energies[i];
        }
        return n == 0 ? Double.NaN : loudness(e / n);
    }

    /** The relative gate of BS.1770: {@code offsetLu} below the absolute-gated mean. */
    double relativeGate(double offsetLu) {
        return gatedLoudness(MIN_LUFS) + offsetLu;
    }

    /** The loudness below which {@code fraction} of the blocks at or above {@code gate} lie. */
    double percentile(double gate, double fraction) {
        int from = indexOf(gate);
        long total = 0;
        for (int i = from; i < counts.length; i++) total += counts[i];
        if (total == 0) return Double.NaN;
        long rank = (long) Math.floor(fraction * (total - 1));
        long seen = 0;
        for (int i = from; i < counts.length; i++) {
            seen += counts[i];
            if (seen > rank)
                return energies[i] > 0
                        ? loudness(energies[i] / counts[i])
                        : MIN_LUFS + (low + i) * BIN_LU;
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
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                out.writeShort(low + i);
                out.writeInt(counts[i]);
                out.writeDouble(energies[i]);
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        int used = in.readInt();
        for (int i = 0; i < used; i++) {
            int bin = in.readUnsignedShort();
            reach(bin);
            counts[bin - low] = in.readInt();
            energies[bin - low] = in.readDouble();
        }
    }
}
