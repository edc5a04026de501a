package io.audioflow.plugins.dsp;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.StreamFormat;
import io.audioflow.api.dsp.FrameBuffer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trims leading and trailing silence. Audio is judged in frames of {@code frame_ms}: a frame is
 * silent when its mean square over all channels stays below {@code threshold_dbfs}. Frames before
 * the first sound are dropped as they come. Silence after a sound is held back until the next sound
 * (then it is emitted: a pause is not trimmed) or the end (then it is dropped); at most {@code
 * max_held_s} is held, so that state stays bounded, and a longer trailing silence loses only its
 * last {@code max_held_s}. A recording without any sound comes out empty.
 */
public final class TrimPlugin implements AudioProcessor {

    private static final PluginInfo INFO =
            PluginInfo.builder("trim", "1.0.0", StageKind.PROCESSOR)
                    .description("Trims leading and trailing silence")
                    .options(
                            ConfigOption.number(
                                    "threshold_dbfs",
                                    -50.0,
                                    -120.0,
                                    0.0,
                                    "frames quieter than this are silence"),
                            ConfigOption.integer(
                                    "frame_ms", 10L, 1L, 1000L, "length of the frames judged"),
                            ConfigOption.number(
                                    "max_held_s",
                                    3.0,
                                    0.0,
                                    60.0,
                                    "most trailing silence held back (and so trimmed)"))
                    .build();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return FormatRequirement.ANY;
    }

    @Override
    public StreamFormat outputFormat(StreamFormat input, StageConfig config) {
        return input;
    }

    @Override
    public ProcessorSession open(AudioFormat input, StageContext context) {
        return new Session(input, context.config());
    }

    private static final class Session implements ProcessorSession {
        private final AudioFormat format;
        private final double threshold; // mean square
        private final double thresholdDb;
        private final int maxHeldSamples;
        private final FrameBuffer frames;
        // Trailing-silence candidates: a ring of up to maxHeldSamples, oldest at heldStart.
        private float[] held = new float[0];
        private int heldStart;
        private int heldLength;
        // What this call lets through, sent as one block: frames are far shorter than chunks.
        private float[] pending = new float[0];
        private int pendingLength;
        private boolean heardSound;
        private long leadingFrames; // audio frames, not judging frames
        private long trailingFrames;
        private long emittedFrames;
        private boolean finished;

        Session(AudioFormat format, StageConfig config) {
            this.format = format;
            this.thresholdDb = config.getDouble("threshold_dbfs");
            this.threshold = Math.pow(10, thresholdDb / 10);
            int frameFrames =
                    Math.max(1, (int) (format.sampleRate() * config.getLong("frame_ms") / 1000));
            int frameSamples = frameFrames * format.channels();
            this.frames = new FrameBuffer(frameSamples, frameSamples);
            this.maxHeldSamples =
                    (int) Math.round(config.getDouble("max_held_s") * format.sampleRate())
                            * format.channels();
        }

        @Override
        public void process(AudioBlock in, Consumer<AudioBlock> out) {
            frames.push(in.samples(), f -> judge(f, f.length));
            flush(out);
        }

        private void judge(float[] f, int length) {
            double sum = 0;
            for (int k = 0; k < length; k++) sum += (double) f[k] * f[k];
            boolean silent = sum / length < threshold;
            if (silent && !heardSound) {
                leadingFrames += length / format.channels();
            } else if (silent && length <= maxHeldSamples) {
                // Beyond max_held_s this is not the trailing silence's end: out with the oldest.
                int excess = heldLength + length - maxHeldSamples;
                if (excess > 0) releaseHeld(excess);
                hold(f, length);
            } else {
                releaseHeld(heldLength); // a pause between sounds stays
                pass(f, 0, length);
                heardSound |= !silent;
            }
        }

        private void hold(float[] f, int length) {
            if (held.length == 0) held = new float[maxHeldSamples];
            int end = (heldStart + heldLength) % held.length;
            int first = Math.min(length, held.length - end);
            System.arraycopy(f, 0, held, end, first);
            System.arraycopy(f, first, held, 0, length - first);
            heldLength += length;
        }

        private void releaseHeld(int count) {
            if (count == 0) return;
            int first = Math.min(count, held.length - heldStart);
            pass(held, heldStart, first);
            pass(held, 0, count - first);
            heldStart = (heldStart + count) % held.length;
            heldLength -= count;
        }

        private void pass(float[] from, int offset, int length) {
            if (pending.length < pendingLength + length)
                pending =
                        Arrays.copyOf(
                                pending, Math.max(pendingLength + length, 2 * pending.length));
            System.arraycopy(from, offset, pending, pendingLength, length);
            pendingLength += length;
        }

        private void flush(Consumer<AudioBlock> out) {
            if (pendingLength == 0) return;
            out.accept(
                    new AudioBlock(format, emittedFrames, Arrays.copyOf(pending, pendingLength)));
            emittedFrames += pendingLength / format.channels();
            pendingLength = 0;
        }

        @Override
        public void finish(Consumer<AudioBlock> out) {
            float[] tail = frames.remainder();
            if (tail.length > 0) judge(tail, tail.length); // the last, shorter frame too
            flush(out);
            trailingFrames = heldLength / format.channels();
            heldLength = 0;
            heldStart = 0;
            held = new float[0];
            finished = true;
        }

        @Override
        public AudioFormat outputFormat() {
            return format;
        }

        @Override
        public Map<String, String> changes() {
            double rate = format.sampleRate();
            return Map.of(
                    "trim_threshold_dbfs",
                    String.format(Locale.ROOT, "%.1f", thresholdDb),
                    "trim_leading_s",
                    String.format(Locale.ROOT, "%.3f", leadingFrames / rate),
                    "trim_trailing_s",
                    finished ? String.format(Locale.ROOT, "%.3f", trailingFrames / rate) : "");
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            frames.writeTo(out);
            out.writeInt(heldLength);
            for (int k = 0; k < heldLength; k++)
                out.writeFloat(held[(heldStart + k) % held.length]);
            out.writeBoolean(heardSound);
            out.writeLong(leadingFrames);
            out.writeLong(emittedFrames);
        }

        @Override
        public void readState(DataInput in) throws IOException {
            frames.readFrom(in);
            heldLength = in.readInt();
            held = heldLength == 0 ? new float[0] : new float[maxHeldSamples];
            for (int k = 0; k < heldLength; k++) held[k] = in.readFloat();
            heardSound = in.readBoolean();
            leadingFrames = in.readLong();
            emittedFrames = in.readLong();
        }
    }
}
