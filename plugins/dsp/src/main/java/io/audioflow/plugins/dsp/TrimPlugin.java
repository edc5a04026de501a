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

    @Override
    public ProcessorSession restore(AudioFormat input, StageContext context, DataInput in)
            throws IOException {
        Session s = new Session(input, context.config());
        s.readFrom(in);
        return s;
    }

    private static final class Session implements ProcessorSession {
        private final AudioFormat format;
        private final double threshold; // mean square
        private final double thresholdDb;
        private final int frameSamples; // all channels
        private final int maxHeldSamples;
        private final float[] frame;
        private int filled;
        private float[] held = new float[0]; // a ring of up to maxHeldSamples, oldest at heldStart
        private int heldStart;
        private int heldLength;
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
            this.frameSamples = frameFrames * format.channels();
            this.maxHeldSamples =
                    (int) Math.round(config.getDouble("max_held_s") * format.sampleRate())
                            * format.channels();
            this.frame = new float[frameSamples];
        }

        @Override
        public void process(AudioBlock in, Consumer<AudioBlock> out) {
            float[] x = in.samples();
            int i = 0;
            while (i < x.length) {
                int n = Math.min(frameSamples - filled, x.length - i);
                System.arraycopy(x, i, frame, filled, n);
                filled += n;
                i += n;
                if (filled == frameSamples) judge(frame, filled, out);
            }
        }

        private void judge(float[] f, int length, Consumer<AudioBlock> out) {
            double sum = 0;
            for (int k = 0; k < length; k++) sum += (double) f[k] * f[k];
            boolean silent = sum / length < threshold;
            filled = 0;
            if (silent && !heardSound) {
                leadingFrames += length / format.channels();
            } else if (silent) {
                if (length > maxHeldSamples) {
                    emitHeld(out);
                    emit(Arrays.copyOf(f, length), out);
                } else {
                    // Beyond max_held_s this is not the trailing silence's end: out with the
                    // oldest.
                    int excess = heldLength + length - maxHeldSamples;
                    if (excess > 0) emitOldest(excess, out);
                    hold(f, length);
                }
            } else {
                emitHeld(out);
                emit(Arrays.copyOf(f, length), out);
                heardSound = true;
            }
        }

        private void hold(float[] f, int length) {
            if (held.length == 0) held = new float[maxHeldSamples];
            for (int k = 0; k < length; k++)
                held[(heldStart + heldLength + k) % held.length] = f[k];
            heldLength += length;
        }

        private void emitOldest(int count, Consumer<AudioBlock> out) {
            float[] oldest = new float[count];
            for (int k = 0; k < count; k++) oldest[k] = held[(heldStart + k) % held.length];
            heldStart = (heldStart + count) % held.length;
            heldLength -= count;
            emit(oldest, out);
        }

        private void emitHeld(Consumer<AudioBlock> out) {
            if (heldLength > 0) emitOldest(heldLength, out);
        }

        private void emit(float[] samples, Consumer<AudioBlock> out) {
            out.accept(new AudioBlock(format, emittedFrames, samples));
            emittedFrames += samples.length / format.channels();
        }

        @Override
        public void finish(Consumer<AudioBlock> out) {
            if (filled > 0) {
                // The last, shorter frame is judged like the others.
                judge(Arrays.copyOf(frame, filled), filled, out);
            }
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
            out.writeInt(filled);
            for (int k = 0; k < filled; k++) out.writeFloat(frame[k]);
            out.writeInt(heldLength);
            for (int k = 0; k < heldLength; k++)
                out.writeFloat(held[(heldStart + k) % held.length]);
            out.writeBoolean(heardSound);
            out.writeLong(leadingFrames);
            out.writeLong(emittedFrames);
        }

        void readFrom(DataInput in) throws IOException {
            filled = in.readInt();
            for (int k = 0; k < filled; k++) frame[k] = in.readFloat();
            heldLength = in.readInt();
            held = heldLength == 0 ? new float[0] : new float[maxHeldSamples];
            for (int k = 0; k < heldLength; k++) held[k] = in.readFloat();
            heardSound = in.readBoolean();
            leadingFrames = in.readLong();
            emittedFrames = in.readLong();
        }
    }
}
