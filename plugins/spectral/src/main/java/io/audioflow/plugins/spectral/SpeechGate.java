package io.audioflow.plugins.spectral;

import io.audioflow.api.FrameTrack;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Pairs spectral frames with the upstream vad stage's speech labels: a frame counts when the vad
 * frame holding its centre sample is speech. A vad label is known only once its 30 ms frame is
 * complete, which can be a block after the spectral frame, so frames wait here (features already
 * computed, at most a couple of them) and labels wait until no frame needs them any more. Frames
 * whose centre falls in the vad's last, incomplete frame never get a label and are not counted.
 */
final class SpeechGate {

    interface Sink {
        void add(double centroid, double rolloff, double flatness, double bandwidth);
    }

    /** A frame's centre sample and its features, waiting for its label. */
    private record Held(
            long centre, double centroid, double rolloff, double flatness, double bandwidth) {}

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private float[] labels = new float[64];
    private int labelCount;
    private long firstLabel; // vad frame index of labels[0]
    private int hop; // the vad frame hop, from its first track; 0 until then

    void add(FrameTrack track) {
        if (track.values().length == 0) return;
        if (hop == 0) hop = track.hop();
        if (track.firstFrame() != firstLabel + labelCount)
            throw new IllegalStateException(
                    "vad frames out of order: expected frame "
                            + (firstLabel + labelCount)
                            + ", got "
                            + track.firstFrame());
        if (labelCount + track.values().length > labels.length)
            labels =
                    java.util.Arrays.copyOf(
                            labels,
                            Math.max(labels.length * 2, labelCount + track.values().length));
        System.arraycopy(track.values(), 0, labels, labelCount, track.values().length);
        labelCount += track.values().length;
    }

    void hold(long centre, double centroid, double rolloff, double flatness, double bandwidth) {
        held.add(new Held(centre, centroid, rolloff, flatness, bandwidth));
    }

    /**
     * Counts every waiting frame whose label is known, in order, and forgets the labels no frame
     * can need any more: those before the first waiting frame and before {@code nextCentre}, the
     * centre of the next frame still to be completed.
     */
    void drain(Sink sink, long nextCentre) {
        while (!held.isEmpty() && hop > 0) {
            long vadFrame = held.peek().centre() / hop;
            if (vadFrame >= firstLabel + labelCount) break;
            Held h = held.poll();
            if (vadFrame >= firstLabel && labels[(int) (vadFrame - firstLabel)] != 0)
                sink.add(h.centroid(), h.rolloff(), h.flatness(), h.bandwidth());
        }
        if (hop == 0) return;
        long needed =
                (held.isEmpty() ? nextCentre : Math.min(nextCentre, held.peek().centre())) / hop;
        int drop = (int) Math.min(labelCount, Math.max(0, needed - firstLabel));
        if (drop > 0) {
            System.arraycopy(labels, drop, labels, 0, labelCount - drop);
            labelCount -= drop;
            firstLabel += drop;
        }
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(hop);
        out.writeLong(firstLabel);
        out.writeInt(labelCount);
        for (int i = 0; i < labelCount; i++) out.writeFloat(labels[i]);
        out.writeInt(held.size());
        for (Held h : held) {
            out.writeLong(h.centre());
            out.writeDouble(h.centroid());
            out.writeDouble(h.rolloff());
            out.writeDouble(h.flatness());
            out.writeDouble(h.bandwidth());
        }
    }

    void readFrom(DataInput in) throws IOException {
        hop = in.readInt();
        firstLabel = in.readLong();
        labelCount = in.readInt();
        labels = new float[Math.max(64, labelCount)];
        for (int i = 0; i < labelCount; i++) labels[i] = in.readFloat();
        held.clear();
        for (int n = in.readInt(), i = 0; i < n; i++)
            held.add(
                    new Held(
                            in.readLong(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble(),
                            in.readDouble()));
    }
}
