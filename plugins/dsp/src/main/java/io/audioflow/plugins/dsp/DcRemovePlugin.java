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
import java.util.Map;
import java.util.function.Consumer;

/**
 * Removes DC offset with a one-pole high-pass filter, y[n] = x[n] − x[n−1] + R·y[n−1] with R =
 * exp(−2π·cutoff/rate), per channel; streaming, so the offset may drift within a recording.
 */
public final class DcRemovePlugin implements AudioProcessor {

    private static final PluginInfo INFO =
            PluginInfo.builder("dc-remove", "1.0.0", StageKind.PROCESSOR)
                    .description("Removes DC offset (one-pole high-pass)")
                    .options(
                            ConfigOption.number(
                                    "cutoff_hz",
                                    5.0,
                                    0.1,
                                    200.0,
                                    "high-pass corner frequency in Hz"))
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
        return new Session(input, context.config().getDouble("cutoff_hz"));
    }

    private static final class Session implements ProcessorSession {
        private final AudioFormat format;
        private final double cutoff;
        private final double r;
        private final double[] lastIn;
        private final double[] lastOut;
        private long frames;

        Session(AudioFormat format, double cutoff) {
            this.format = format;
            this.cutoff = cutoff;
            this.r = Math.exp(-2 * Math.PI * cutoff / format.sampleRate());
            this.lastIn = new double[format.channels()];
            this.lastOut = new double[format.channels()];
        }

        @Override
        public void process(AudioBlock in, Consumer<AudioBlock> out) {
            float[] x = in.samples();
            float[] y = new float[x.length];
            int channels = format.channels();
            for (int c = 0; c < channels; c++) {
                double x1 = lastIn[c], y1 = lastOut[c];
                for (int i = c; i < x.length; i += channels) {
                    double v = x[i];
                    y1 = v - x1 + r * y1;
                    x1 = v;
                    y[i] = (float) y1;
                }
                lastIn[c] = x1;
                lastOut[c] = y1;
            }
            out.accept(new AudioBlock(format, frames, y));
            frames += in.frames();
        }

        @Override
        public void finish(Consumer<AudioBlock> out) {}

        @Override
        public AudioFormat outputFormat() {
            return format;
        }

        @Override
        public Map<String, String> changes() {
            return Map.of("dc_filter", "high-pass " + cutoff + " Hz");
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            for (int c = 0; c < lastIn.length; c++) {
                out.writeDouble(lastIn[c]);
                out.writeDouble(lastOut[c]);
            }
            out.writeLong(frames);
        }

        @Override
        public void readState(DataInput in) throws IOException {
            for (int c = 0; c < lastIn.length; c++) {
                lastIn[c] = in.readDouble();
                lastOut[c] = in.readDouble();
            }
            frames = in.readLong();
        }
    }
}
