package io.audioflow.plugins.spectral;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.Unit;
import io.audioflow.api.ValidationException;
import io.audioflow.api.dsp.FrameBuffer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spectral shape with librosa's definitions, per frame of a Hann-windowed STFT (magnitude spectrum
 * S, bin frequencies f), then averaged over frames: centroid Σ f·S / Σ S; bandwidth √(Σ S·(f −
 * centroid)² / Σ S); roll-off the lowest f below which {@code rolloff_percent} of Σ S lies;
 * flatness the geometric over the arithmetic mean of the power spectrum S² (floored at 1e-10).
 * Frames are not centred (no padding), unlike librosa's default, so that they can be cut from a
 * stream.
 */
public final class SpectralAnalyzer implements AudioAnalyzer {

    static final MetricDefinition CENTROID =
            new MetricDefinition(
                    "centroid_hz", Unit.HZ, "mean spectral centroid (librosa spectral_centroid)");
    static final MetricDefinition ROLLOFF =
            new MetricDefinition(
                    "rolloff_hz",
                    Unit.HZ,
                    "mean frequency below which rolloff_percent of the magnitude lies");
    static final MetricDefinition FLATNESS =
            new MetricDefinition(
                    "flatness",
                    Unit.RATIO,
                    "mean spectral flatness of the power spectrum (1 = white noise, 0 = pure tone)");
    static final MetricDefinition BANDWIDTH =
            new MetricDefinition(
                    "bandwidth_hz",
                    Unit.HZ,
                    "mean second-order spectral bandwidth around the centroid");
    static final MetricDefinition FRAMES =
            new MetricDefinition("frames", Unit.COUNT, "frames averaged");

    private static final PluginInfo INFO =
            PluginInfo.builder("spectral", "1.1.2", StageKind.ANALYZER)
                    .spiRange("^1.2")
                    .description(
                            "Spectral centroid, roll-off, flatness and bandwidth (librosa definitions)")
                    .metrics(CENTROID, ROLLOFF, FLATNESS, BANDWIDTH, FRAMES)
                    .options(
                            ConfigOption.integer(
                                    "n_fft",
                                    512L,
                                    64L,
                                    4096L,
                                    "frame and FFT length in samples (a power of two)"),
                            ConfigOption.integer(
                                    "hop", 256L, 16L, 4096L, "samples between frame starts"),
                            ConfigOption.number(
                                    "rolloff_percent",
                                    0.85,
                                    0.01,
                                    0.99,
                                    "fraction of the magnitude below the roll-off frequency"),
                            ConfigOption.choice(
                                    "frames",
                                    "active",
                                    List.of("all", "active", "speech"),
                                    "average over all frames, only frames at or above active_level_db,"
                                            + " or only frames an upstream vad stage marked as speech"),
                            ConfigOption.number(
                                    "active_level_db",
                                    -50.0,
                                    -120.0,
                                    0.0,
                                    "RMS level (dBFS) from which a frame counts as active"))
                    .build();

    /** The upstream vad stage's per-frame speech labels, for {@code frames: speech}. */
    static final String SPEECH_TRACK = "vad.speech";

    /** FFT tables by size: designing them costs more than using them, and they are immutable. */
    private final Map<Integer, Fft> ffts = new ConcurrentHashMap<>();

    /** Periodic Hann windows by length, as librosa: shared, never written after they are made. */
    private final Map<Integer, double[]> windows = new ConcurrentHashMap<>();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public List<io.audioflow.api.ConfigProblem> validate(StageConfig config) {
        int n = config.getInt("n_fft");
        if (Integer.bitCount(n) != 1) {
            return List.of(
                    new io.audioflow.api.ConfigProblem(
                            "n_fft", "n_fft must be a power of two, got " + n, "e.g. n_fft: 512"));
        }
        if (config.getInt("hop") > n) {
            return List.of(
                    new io.audioflow.api.ConfigProblem(
                            "hop",
                            "hop "
                                    + config.getInt("hop")
                                    + " is longer than n_fft "
                                    + n
                                    + ": samples would be skipped",
                            "use a hop of at most n_fft, e.g. n_fft / 2"));
        }
        return List.of();
    }

    @Override
    public List<String> consumes(StageConfig config) {
        return config.getString("frames").equals("speech") ? List.of(SPEECH_TRACK) : List.of();
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return new FormatRequirement(List.of(), 1);
    }

    @Override
    public Accumulator open(AudioFormat format, StageContext context) {
        StageConfig c = context.config();
        int n = c.getInt("n_fft");
        return new SpectralAccumulator(
                ffts.computeIfAbsent(n, Fft::new),
                windows.computeIfAbsent(n, SpectralAnalyzer::hann),
                format.sampleRate(),
                c);
    }

    private static double[] hann(int n) {
        double[] window = new double[n];
        for (int i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        return window;
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        SpectralAccumulator acc = (SpectralAccumulator) open(format, context);
        acc.readFrom(in);
        return acc;
    }

    static final class SpectralAccumulator implements Accumulator {
        private final Fft fft;
        private final int n;
        private final int hop;
        private final double binHz;
        private final double rolloffPercent;
        private final double activeEnergy; // mean square from which a frame is active; 0 = all
        private final double[] window; // shared: never written
        private final FrameBuffer frames;
        private long frameCount;
        private double sumCentroid, sumRolloff, sumFlatness, sumBandwidth;
        private final SpeechGate speech; // null unless frames: speech
        private long frameIndex; // of the next frame the buffer completes

        /**
         * A call's work arrays, reused frame to frame: the session, kept live between blocks for
         * every open recording, holds only its state.
         */
        private record Scratch(double[] windowed, double[] re, double[] im, double[] mag) {
            Scratch(int n) {
                // FFT input and scratch; the power spectrum, then its square root, in mag.
                this(new double[n], new double[n / 2], new double[n / 2], new double[n / 2 + 1]);
            }
        }

        SpectralAccumulator(Fft fft, double[] window, int sampleRate, StageConfig config) {
            this.fft = fft;
            this.n = fft.size();
            this.hop = config.getInt("hop");
            this.binHz = (double) sampleRate / n;
            this.rolloffPercent = config.getDouble("rolloff_percent");
            // With frames: speech, the vad's labels alone decide (no level gate of our own).
            this.activeEnergy =
                    config.getString("frames").equals("active")
                            ? Math.pow(10, config.getDouble("active_level_db") / 10)
                            : 0;
            this.window = window;
            this.frames = new FrameBuffer(n, hop);
            this.speech = config.getString("frames").equals("speech") ? new SpeechGate() : null;
        }

        @Override
        public void accept(AudioBlock block) {
            if (speech != null) {
                speech.add(
                        block.track(SPEECH_TRACK)
                                .orElseThrow(
                                        () ->
                                                new ValidationException(
                                                        ErrorCode.FORMAT_MISMATCH,
                                                        "frames: speech needs the "
                                                                + SPEECH_TRACK
                                                                + " frames of a vad stage this"
                                                                + " stage depends on")));
            }
            Scratch scratch = new Scratch(n);
            frames.push(block.samples(), f -> frame(f, scratch));
            if (speech != null) speech.drain(this::add, frameIndex * hop + n / 2);
        }

        private void frame(float[] buffer, Scratch s) {
            long index = frameIndex++;
            if (isSilent(buffer) || (activeEnergy > 0 && energy(buffer) / n < activeEnergy)) return;
            double[] windowed = s.windowed(), mag = s.mag();
            for (int k = 0; k < n; k++) windowed[k] = buffer[k] * window[k];
            fft.power(windowed, s.re(), s.im(), mag);
            int bins = n / 2 + 1;
            // One pass for the moments (in bins; Σ S·(f − c)² = Σ S·f² − c²·Σ S), a second one
            // only up to the roll-off.
            double sum = 0, first = 0, second = 0, logPower = 0, power = 0, product = 1;
            for (int k = 0; k < bins; k++) {
                double p = mag[k];
                double m = Math.sqrt(p);
                mag[k] = m;
                sum += m;
                first += m * k;
                second += m * k * k;
                double floored = Math.max(p, 1e-10);
                power += floored;
                // One log per 16 bins: a product of 16 values in [1e-10, 1e10] stays in range.
                product *= floored;
                if ((k & 15) == 15) {
                    logPower += Math.log(product);
                    product = 1;
                }
            }
            logPower += Math.log(product);
            if (sum == 0) return;
            double meanBin = first / sum;
            double centroid = meanBin * binHz;
            double bandwidth = Math.sqrt(Math.max(0, second / sum - meanBin * meanBin)) * binHz;
            double rolloff = (bins - 1) * binHz, cumulative = 0, target = rolloffPercent * sum;
            for (int k = 0; k < bins; k++) {
                cumulative += mag[k];
                if (cumulative >= target) {
                    rolloff = k * binHz;
                    break;
                }
            }
            double flatness = Math.exp(logPower / bins) / (power / bins);
            if (speech != null) {
                // Its label may come with a later block: the frame waits, features computed.
                speech.hold(index * hop + n / 2, centroid, rolloff, flatness, bandwidth);
            } else {
                add(centroid, rolloff, flatness, bandwidth);
            }
        }

        // Four partial sums: with one, every sample waits for the previous addition (0.39 against
        // 0.23 µs for a 512-sample frame). The energy only decides which frames count, so the
        // different rounding moves a metric only for a frame within rounding of the threshold.
        private static double energy(float[] x) {
            double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            int i = 0;
            for (; i + 3 < x.length; i += 4) {
                e0 += (double) x[i] * x[i];
                e1 += (double) x[i + 1] * x[i + 1];
                e2 += (double) x[i + 2] * x[i + 2];
                e3 += (double) x[i + 3] * x[i + 3];
            }
            for (; i < x.length; i++) e0 += (double) x[i] * x[i];
            return (e0 + e1) + (e2 + e3);
        }

        private static boolean isSilent(float[] x) {
            for (float v : x) if (v != 0) return false;
            return true;
        }

        private void add(double centroid, double rolloff, double flatness, double bandwidth) {
            frameCount++;
            sumCentroid += centroid;
            sumBandwidth += bandwidth;
            sumRolloff += rolloff;
            sumFlatness += flatness;
        }

        @Override
        public List<QualityMetric> result() {
            double k = Math.max(1, frameCount);
            return List.of(
                    CENTROID.value(frameCount == 0 ? Double.NaN : sumCentroid / k),
                    ROLLOFF.value(frameCount == 0 ? Double.NaN : sumRolloff / k),
                    FLATNESS.value(frameCount == 0 ? Double.NaN : sumFlatness / k),
                    BANDWIDTH.value(frameCount == 0 ? Double.NaN : sumBandwidth / k),
                    FRAMES.value(frameCount));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            frames.writeTo(out);
            out.writeLong(frameIndex);
            if (speech != null) speech.writeTo(out);
            out.writeLong(frameCount);
            out.writeDouble(sumCentroid);
            out.writeDouble(sumRolloff);
            out.writeDouble(sumFlatness);
            out.writeDouble(sumBandwidth);
        }

        void readFrom(DataInput in) throws IOException {
            frames.readFrom(in);
            frameIndex = in.readLong();
            if (speech != null) speech.readFrom(in);
            frameCount = in.readLong();
            sumCentroid = in.readDouble();
            sumRolloff = in.readDouble();
            sumFlatness = in.readDouble();
            sumBandwidth = in.readDouble();
        }
    }
}
