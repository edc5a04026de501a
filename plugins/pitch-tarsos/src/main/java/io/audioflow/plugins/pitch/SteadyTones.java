package io.audioflow.plugins.pitch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;

/**
 * Sorts pitched frames into speech and steady tones. Telephone recordings carry beeps and prompts
 * (a pure tone held for a second or more) while speech is voiced only a third of the time, so a
 * long beep would decide the median pitch of the speech. A tone is a run of frames that YIN finds
 * almost perfectly periodic (aperiodicity at most {@link #MAX_APERIODICITY}) at one frequency
 * (within {@link #TOLERANCE} of the run's first frame) for at least {@code minFrames}: voices drift
 * by more than that within a few hundred milliseconds, sustained vowels included.
 *
 * <p>A run shorter than that is speech after all; its frames wait in {@code pending} until the run
 * is long enough or breaks.
 */
final class SteadyTones {

    static final double MAX_APERIODICITY = 0.02;
    static final double TOLERANCE = 0.01;

    private final int minFrames;
    private final float[] pending;
    private int pendingCount;
    private float reference = Float.NaN; // frequency of the current run's first frame
    private boolean confirmed; // the current run is a tone
    private final PitchHistogram speech = new PitchHistogram();
    private final PitchHistogram tones = new PitchHistogram();

    /**
     * @param minFrames frames a tone must last; 0 keeps every pitched frame as speech
     */
    SteadyTones(int minFrames) {
        this.minFrames = minFrames;
        this.pending = new float[Math.max(0, minFrames)];
    }

    /** A frame with a pitch in range, and YIN's aperiodicity (1 - probability) for it. */
    void pitched(float hz, double aperiodicity) {
        if (minFrames <= 0) {
            speech.add(hz);
            return;
        }
        if (aperiodicity > MAX_APERIODICITY) {
            endRun();
            speech.add(hz);
            return;
        }
        if (Float.isNaN(reference) || Math.abs(hz / reference - 1) > TOLERANCE) {
            endRun();
            reference = hz;
        }
        if (confirmed) {
            tones.add(hz);
        } else {
            pending[pendingCount++] = hz;
            if (pendingCount == minFrames) {
                for (int i = 0; i < pendingCount; i++) tones.add(pending[i]);
                pendingCount = 0;
                confirmed = true;
            }
        }
    }

    /** A frame without a pitch (silence, noise, out of range) ends any run. */
    void unpitched() {
        endRun();
    }

    private void endRun() {
        for (int i = 0; i < pendingCount; i++) speech.add(pending[i]);
        pendingCount = 0;
        confirmed = false;
        reference = Float.NaN;
    }

    /** Frames with a pitch, tones included. */
    long pitchedFrames() {
        return speech.total() + pendingCount + tones.total();
    }

    long toneFrames() {
        return tones.total();
    }

    /**
     * The median pitch of speech frames; of every pitched frame when the recording holds too little
     * besides its tones (less than one tone's length), so a test tone or a sung note still reports
     * its pitch.
     */
    double median() {
        PitchHistogram all = speech.copy();
        for (int i = 0; i < pendingCount; i++) all.add(pending[i]);
        if (all.total() >= Math.max(1, minFrames) || tones.total() == 0) return all.median();
        all.addAll(tones);
        return all.median();
    }

    void writeTo(DataOutput out) throws IOException {
        speech.writeTo(out);
        tones.writeTo(out);
        out.writeFloat(reference);
        out.writeBoolean(confirmed);
        out.writeShort(pendingCount);
        for (int i = 0; i < pendingCount; i++) out.writeFloat(pending[i]);
    }

    /**
     * Reads what {@link #writeTo} wrote. A session saved by pitch 1.1 holds one histogram and ends
     * there: it is restored as speech without a run in progress.
     */
    void readFrom(DataInput in) throws IOException {
        speech.readFrom(in);
        int used;
        try {
            used = in.readInt();
        } catch (EOFException savedBeforeTones) {
            return;
        }
        tones.readFrom(in, used);
        reference = in.readFloat();
        confirmed = in.readBoolean();
        int count = in.readUnsignedShort();
        float[] saved = new float[count];
        for (int i = 0; i < count; i++) saved[i] = in.readFloat();
        if (count < pending.length) {
            System.arraycopy(saved, 0, pending, 0, count);
            pendingCount = count;
        } else {
            // Saved under a configuration that waited longer for a tone: count the run as speech.
            for (float hz : saved) speech.add(hz);
            confirmed = false;
            reference = Float.NaN;
        }
    }
}
