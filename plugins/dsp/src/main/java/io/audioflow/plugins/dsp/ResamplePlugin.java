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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * Downmixes (mean of channels) and resamples with a band-limited polyphase filter. Passing audio
 * already in the target format through untouched keeps it bit-exact.
 */
public final class ResamplePlugin implements AudioProcessor {

    private static final PluginInfo INFO =
            PluginInfo.builder("resample", "1.0.1", StageKind.PROCESSOR)
                    .description(
                            "Downmix to mono and/or resample (Kaiser-windowed sinc, 16 zero crossings)")
                    .options(
                            ConfigOption.integer(
                                    "sample_rate",
                                    16_000L,
                                    1_000L,
                                    384_000L,
                                    "output sample rate in Hz"),
                            ConfigOption.integer(
                                    "channels",
                                    1L,
                                    0L,
                                    1L,
                                    "1 downmixes to mono (mean of channels); 0 keeps the input's channels"))
                    .build();

    /** Immutable filters by rate pair: sessions are restored for every chunk, designs are not. */
    private final ConcurrentMap<Long, PolyphaseFilter> filters = new ConcurrentHashMap<>();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    private PolyphaseFilter filter(int inRate, int outRate) {
        return filters.computeIfAbsent(
                ((long) inRate << 32) | outRate, k -> new PolyphaseFilter(inRate, outRate));
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return FormatRequirement.ANY;
    }

    @Override
    public StreamFormat outputFormat(StreamFormat input, StageConfig config) {
        int channels = config.getInt("channels") == 1 ? 1 : input.channels();
        return new StreamFormat(config.getInt("sample_rate"), channels);
    }

    @Override
    public ProcessorSession open(AudioFormat input, StageContext context) {
        return new Session(input, context.config(), this::filter);
    }

    @Override
    public ProcessorSession restore(AudioFormat input, StageContext context, DataInput in)
            throws IOException {
        Session session = new Session(input, context.config(), this::filter);
        for (PolyphaseResampler r : session.resamplers) r.readFrom(in);
        session.framesOut = in.readLong();
        return session;
    }

    private interface FilterSource {
        PolyphaseFilter get(int inRate, int outRate);
    }

    private static final class Session implements ProcessorSession {
        private final AudioFormat input;
        private final AudioFormat output;
        private final PolyphaseResampler[] resamplers;
        private long framesOut;

        Session(AudioFormat input, StageConfig config, FilterSource filters) {
            this.input = input;
            int channels = config.getInt("channels") == 1 ? 1 : input.channels();
            this.output = new AudioFormat(config.getInt("sample_rate"), channels);
            this.resamplers = new PolyphaseResampler[channels];
            for (int c = 0; c < channels; c++) {
                resamplers[c] =
                        new PolyphaseResampler(
                                filters.get(input.sampleRate(), output.sampleRate()));
            }
        }

        @Override
        public void process(AudioBlock in, Consumer<AudioBlock> out) {
            float[] samples = in.samples();
            int inChannels = input.channels();
            int stride = inChannels;
            if (output.channels() == 1 && inChannels > 1) {
                samples = downmix(samples, inChannels);
                stride = 1;
            }
            if (resamplers[0].identity()) {
                // Passed on as it is: no consumer may modify a block's samples, so nothing needs a
                // copy.
                emit(samples, out);
                return;
            }
            float[][] perChannel = new float[output.channels()][];
            for (int c = 0; c < output.channels(); c++) {
                perChannel[c] = resamplers[c].process(samples, c, stride, samples.length / stride);
            }
            emit(interleave(perChannel), out);
        }

        @Override
        public void finish(Consumer<AudioBlock> out) {
            if (resamplers[0].identity()) return;
            float[][] perChannel = new float[output.channels()][];
            for (int c = 0; c < output.channels(); c++) perChannel[c] = resamplers[c].finish();
            emit(interleave(perChannel), out);
        }

        private void emit(float[] samples, Consumer<AudioBlock> out) {
            if (samples.length == 0) return;
            AudioBlock block = new AudioBlock(output, framesOut, samples);
            framesOut += block.frames();
            out.accept(block);
        }

        private static float[] downmix(float[] interleaved, int channels) {
            float[] mono = new float[interleaved.length / channels];
            float scale = 1f / channels;
            for (int f = 0, i = 0; f < mono.length; f++) {
                float sum = 0;
                for (int c = 0; c < channels; c++) sum += interleaved[i++];
                mono[f] = sum * scale;
            }
            return mono;
        }

        private static float[] interleave(float[][] channels) {
            if (channels.length == 1) return channels[0];
            int frames = channels[0].length;
            float[] out = new float[frames * channels.length];
            for (int f = 0; f < frames; f++) {
                for (int c = 0; c < channels.length; c++)
                    out[f * channels.length + c] = channels[c][f];
            }
            return out;
        }

        @Override
        public AudioFormat outputFormat() {
            return output;
        }

        @Override
        public Map<String, String> changes() {
            Map<String, String> changes = new LinkedHashMap<>();
            if (input.sampleRate() != output.sampleRate()) {
                changes.put("sample_rate", input.sampleRate() + "->" + output.sampleRate());
            }
            if (input.channels() != output.channels()) {
                changes.put("channels", input.channels() + "->" + output.channels());
            }
            return changes;
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            for (PolyphaseResampler r : resamplers) r.writeTo(out);
            out.writeLong(framesOut);
        }
    }
}
