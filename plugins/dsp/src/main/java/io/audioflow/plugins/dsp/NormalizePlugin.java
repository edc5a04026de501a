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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Scales a recording to a target level with one constant gain. A streaming job cannot see the whole
 * recording before it emits, so the gain is measured on a look-ahead of the first {@code window_s}
 * (held back, then released scaled) and kept for the rest: exact for recordings shorter than the
 * window, an estimate from their start for longer ones. {@code mode} rms targets the RMS over all
 * channels, peak the sample peak; the gain never pushes the window's peak above {@code
 * ceiling_dbfs} and never exceeds {@code max_gain_db}, so near-silence is not blown up into noise.
 */
public final class NormalizePlugin implements AudioProcessor {

    private static final PluginInfo INFO =
            PluginInfo.builder("normalize", "1.0.0", StageKind.PROCESSOR)
                    .description("Scales to a target RMS or peak level with one constant gain")
                    .options(
                            ConfigOption.choice(
                                    "mode", "rms", List.of("rms", "peak"), "what the target is"),
                            ConfigOption.number(
                                    "target_dbfs", -20.0, -80.0, 0.0, "the level to reach"),
                            ConfigOption.number(
                                    "window_s",
                                    5.0,
                                    0.1,
                                    60.0,
                                    "look-ahead the gain is measured on"),
                            ConfigOption.number(
                                    "ceiling_dbfs",
                                    -1.0,
                                    -40.0,
                                    0.0,
                                    "the window's peak never goes above this"),
                            ConfigOption.number(
                                    "max_gain_db", 30.0, 0.0, 80.0, "most amplification"))
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
        private final boolean peakMode;
        private final double target;
        private final double ceiling;
        private final double maxGain;
        private final int windowSamples;
        private float[] window = new float[0];
        private int windowLength;
        private boolean decided;
        private double gainDb;
        private double measuredDb;
        private long emittedFrames;

        Session(AudioFormat format, StageConfig config) {
            this.format = format;
            this.peakMode = "peak".equals(config.getString("mode"));
            this.target = config.getDouble("target_dbfs");
            this.ceiling = config.getDouble("ceiling_dbfs");
            this.maxGain = config.getDouble("max_gain_db");
            this.windowSamples =
                    Math.max(
                            format.channels(),
                            (int) Math.round(config.getDouble("window_s") * format.sampleRate())
                                    * format.channels());
        }

        @Override
        public void process(AudioBlock in, Consumer<AudioBlock> out) {
            float[] x = in.samples();
            if (decided) {
                emit(x, out);
                return;
            }
            int take = Math.min(windowSamples - windowLength, x.length);
            if (window.length < windowLength + take)
                window =
                        Arrays.copyOf(
                                window,
                                Math.min(
                                        windowSamples,
                                        Math.max(windowLength + take, 2 * window.length)));
            System.arraycopy(x, 0, window, windowLength, take);
            windowLength += take;
            if (windowLength == windowSamples) {
                decide(out);
                if (take < x.length) emit(Arrays.copyOfRange(x, take, x.length), out);
            }
        }

        /** The window is full, or the recording ended: fix the gain and release the window. */
        private void decide(Consumer<AudioBlock> out) {
            double sum = 0, peak = 0;
            for (int k = 0; k < windowLength; k++) {
                sum += (double) window[k] * window[k];
                peak = Math.max(peak, Math.abs(window[k]));
            }
            double rmsDb =
                    windowLength == 0 ? -200 : 10 * Math.log10(Math.max(1e-20, sum / windowLength));
            double peakDb = 20 * Math.log10(Math.max(1e-10, peak));
            measuredDb = peakMode ? peakDb : rmsDb;
            gainDb = Math.min(Math.min(target - measuredDb, ceiling - peakDb), maxGain);
            decided = true;
            if (windowLength > 0) emit(Arrays.copyOf(window, windowLength), out);
            window = new float[0];
            windowLength = 0;
        }

        private void emit(float[] x, Consumer<AudioBlock> out) {
            float g = (float) Math.pow(10, gainDb / 20);
            float[] y = new float[x.length];
            for (int k = 0; k < x.length; k++) y[k] = x[k] * g;
            out.accept(new AudioBlock(format, emittedFrames, y));
            emittedFrames += x.length / format.channels();
        }

        @Override
        public void finish(Consumer<AudioBlock> out) {
            if (!decided) decide(out);
        }

        @Override
        public AudioFormat outputFormat() {
            return format;
        }

        @Override
        public Map<String, String> changes() {
            if (!decided) return Map.of();
            return Map.of(
                    "normalize_gain_db", String.format(Locale.ROOT, "%.2f", gainDb),
                    "normalize_measured_dbfs", String.format(Locale.ROOT, "%.2f", measuredDb),
                    "normalize_mode", peakMode ? "peak" : "rms",
                    "normalize_window_s",
                            String.format(
                                    Locale.ROOT,
                                    "%.1f",
                                    windowSamples
                                            / (double) format.channels()
                                            / format.sampleRate()));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeBoolean(decided);
            out.writeDouble(gainDb);
            out.writeDouble(measuredDb);
            out.writeLong(emittedFrames);
            out.writeInt(windowLength);
            for (int k = 0; k < windowLength; k++) out.writeFloat(window[k]);
        }

        @Override
        public void readState(DataInput in) throws IOException {
            decided = in.readBoolean();
            gainDb = in.readDouble();
            measuredDb = in.readDouble();
            emittedFrames = in.readLong();
            windowLength = in.readInt();
            window = new float[windowLength];
            for (int k = 0; k < windowLength; k++) window[k] = in.readFloat();
        }
    }
}
