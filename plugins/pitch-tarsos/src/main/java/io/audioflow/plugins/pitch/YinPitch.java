package io.audioflow.plugins.pitch;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.PitchDetector;
import be.tarsos.dsp.pitch.Yin;
import be.tarsos.dsp.util.ConcurrencyUtils;
import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.ConfigProblem;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.Unit;
import io.audioflow.api.dsp.FrameBuffer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Pitch with TarsosDSP's YIN (de Cheveigné and Kawahara 2002) on consecutive frames, by default at
 * half the input rate (speech pitch needs no more, and YIN's cost falls fourfold); TarsosDSP's
 * FastYin is not used because it reports no pitch on clean tones. A frame is voiced when YIN finds
 * a period and its frequency lies within [min_hz, max_hz]. Steady pure tones (a telephone beep) are
 * voiced but kept out of the median when the recording holds speech besides them ({@link
 * SteadyTones}).
 */
public final class YinPitch implements AudioAnalyzer {

    static final MetricDefinition MEDIAN =
            new MetricDefinition(
                    "median_hz",
                    Unit.HZ,
                    "median pitch of voiced frames (YIN), steady tones left out when there is speech");
    static final MetricDefinition VOICED =
            new MetricDefinition("voiced_ratio", Unit.RATIO, "fraction of frames with a pitch");
    static final MetricDefinition TONES =
            new MetricDefinition(
                    "tone_ratio",
                    Unit.RATIO,
                    "fraction of frames in steady pure tones (beeps, dial tones, hum)");

    private static final int DECIMATED_PIECE = 8192; // input samples, even: outputs keep one size

    private static final PluginInfo INFO =
            PluginInfo.builder("pitch", "1.2.2", StageKind.ANALYZER)
                    .description(
                            "Median pitch and voiced ratio with TarsosDSP YIN (GPL-3.0 module)")
                    .metrics(MEDIAN, VOICED, TONES)
                    .options(
                            ConfigOption.bool(
                                    "decimate",
                                    true,
                                    "analyse at half the input rate when it is 16 kHz or more (YIN costs a quarter)"),
                            ConfigOption.integer(
                                    "frame",
                                    256L,
                                    64L,
                                    8192L,
                                    "YIN window in samples at the analysis rate; the lowest pitch found is rate / (frame / 2)"),
                            ConfigOption.integer(
                                    "hop",
                                    256L,
                                    16L,
                                    8192L,
                                    "samples between frame starts, at the analysis rate"),
                            ConfigOption.number(
                                    "threshold",
                                    0.20,
                                    0.01,
                                    0.9,
                                    "YIN absolute threshold on the normalised difference"),
                            ConfigOption.number(
                                    "min_hz", 60.0, 20.0, 2000.0, "lowest pitch counted as voiced"),
                            ConfigOption.number(
                                    "max_hz",
                                    1000.0,
                                    40.0,
                                    8000.0,
                                    "highest pitch counted as voiced"),
                            ConfigOption.number(
                                    "min_level_db",
                                    -50.0,
                                    -120.0,
                                    0.0,
                                    "frames quieter than this RMS (dBFS) are unvoiced without running YIN, like aubio's silence gate"),
                            ConfigOption.number(
                                    "tone_seconds",
                                    0.4,
                                    0.0,
                                    10.0,
                                    "a pitch held this long within 1 % and almost perfectly periodic is a tone, not speech; 0 counts tones as speech"),
                            ConfigOption.choice(
                                    "yin",
                                    "vectorized",
                                    List.of("vectorized", "tarsos"),
                                    "vectorized: TarsosDSP's YIN with its difference function computed for all lags at once,"
                                            + " bit-identical and about four times faster; tarsos: TarsosDSP's own Yin class"))
                    .build();

    public YinPitch() {
        // TarsosDSP's FFTs share a hidden static thread pool; YIN needs none, and nothing here
        // may start threads behind Flink's back.
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public List<ConfigProblem> validate(StageConfig config) {
        if (config.getInt("hop") > config.getInt("frame")) {
            return List.of(
                    new ConfigProblem(
                            "hop",
                            "hop is longer than frame: audio between frames would be ignored",
                            "use hop <= frame"));
        }
        if (config.getDouble("min_hz") >= config.getDouble("max_hz")) {
            return List.of(
                    new ConfigProblem(
                            "min_hz",
                            "min_hz must be below max_hz",
                            "e.g. min_hz: 60, max_hz: 1000"));
        }
        return List.of();
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return new FormatRequirement(List.of(), 1);
    }

    @Override
    public Accumulator open(AudioFormat format, StageContext context) {
        return new PitchAccumulator(format.sampleRate(), context.config());
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        PitchAccumulator acc = new PitchAccumulator(format.sampleRate(), context.config());
        acc.readFrom(in);
        return acc;
    }

    static final class PitchAccumulator implements Accumulator {
        private final int frame;
        private final int hop;
        private final double minHz;
        private final double maxHz;
        private final double minEnergy; // sum of squares of a frame at min_level_db
        private final FrameBuffer buffer;
        private final HalfbandDecimator decimator; // null when analysing at the input rate
        private final float rate; // of the audio YIN reads
        private final double threshold;
        private final boolean tarsosYin;
        private long frames;
        private final SteadyTones voiced;

        PitchAccumulator(int sampleRate, StageConfig config) {
            frame = config.getInt("frame");
            hop = config.getInt("hop");
            minHz = config.getDouble("min_hz");
            maxHz = config.getDouble("max_hz");
            minEnergy = frame * Math.pow(10, config.getDouble("min_level_db") / 10);
            boolean decimate =
                    config.getBoolean("decimate") && sampleRate >= 16_000 && sampleRate % 2 == 0;
            decimator = decimate ? new HalfbandDecimator() : null;
            rate = decimate ? sampleRate / 2f : sampleRate;
            threshold = config.getDouble("threshold");
            tarsosYin = config.getString("yin").equals("tarsos");
            buffer = new FrameBuffer(frame, hop);
            voiced =
                    new SteadyTones((int) Math.ceil(config.getDouble("tone_seconds") * rate / hop));
        }

        /**
         * YIN's and the decimator's work arrays are this call's own: the session, kept live between
         * blocks for every open recording, holds only its state.
         */
        @Override
        public void accept(AudioBlock block) {
            float[] in = block.samples();
            PitchDetector yin =
                    tarsosYin
                            ? new Yin(rate, frame, threshold)
                            : new VectorizedYin(rate, frame, threshold);
            if (decimator == null) {
                buffer.push(in, f -> analyse(yin, f));
                return;
            }
            // In pieces: the decimator's arrays stay small whatever the block size, and it
            // reuses them from piece to piece; the frame buffer copies what it keeps. Outputs do
            // not depend on where the pieces end.
            HalfbandDecimator.Scratch scratch = new HalfbandDecimator.Scratch();
            for (int from = 0; from < in.length; from += DECIMATED_PIECE)
                buffer.push(
                        decimator.process(
                                in, from, Math.min(DECIMATED_PIECE, in.length - from), scratch),
                        f -> analyse(yin, f));
        }

        private void analyse(PitchDetector yin, float[] frame) {
            frames++;
            double energy = 0;
            for (float v : frame) energy += v * v;
            if (energy < minEnergy) { // silence: YIN is the costliest step here
                voiced.unpitched();
                return;
            }
            // YIN reads the frame and writes only its own scratch buffer.
            PitchDetectionResult r = yin.getPitch(frame);
            float hz = r.getPitch();
            if (r.isPitched() && hz >= minHz && hz <= maxHz) {
                voiced.pitched(hz, 1 - r.getProbability());
            } else {
                voiced.unpitched();
            }
        }

        @Override
        public List<QualityMetric> result() {
            return List.of(
                    MEDIAN.value(voiced.median()),
                    VOICED.value(frames == 0 ? 0 : (double) voiced.pitchedFrames() / frames),
                    TONES.value(frames == 0 ? 0 : (double) voiced.toneFrames() / frames));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            buffer.writeTo(out);
            if (decimator != null) decimator.writeTo(out);
            out.writeLong(frames);
            voiced.writeTo(out);
        }

        void readFrom(DataInput in) throws IOException {
            buffer.readFrom(in);
            if (decimator != null) decimator.readFrom(in);
            frames = in.readLong();
            voiced.readFrom(in);
        }
    }
}
