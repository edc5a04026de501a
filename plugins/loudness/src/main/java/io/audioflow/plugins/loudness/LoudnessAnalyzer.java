package io.audioflow.plugins.loudness;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.Unit;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ITU-R BS.1770-4 / EBU R128 loudness: integrated loudness (400 ms blocks, 75 % overlap, absolute
 * gate -70 LUFS, relative gate -10 LU), loudness range (EBU Tech 3342: 3 s short-term blocks every
 * 100 ms, gates -70 LUFS and -20 LU, 10th to 95th percentile) and true peak (4x oversampling).
 * Measured at the recording's own rate and channels; mono counts one channel, as ffmpeg's ebur128
 * filter does by default.
 */
public final class LoudnessAnalyzer implements AudioAnalyzer {

    static final MetricDefinition INTEGRATED =
            new MetricDefinition(
                    "integrated_lufs",
                    Unit.LUFS,
                    "BS.1770-4 gated integrated loudness; -70 when no block passes the gates");
    static final MetricDefinition RANGE =
            new MetricDefinition(
                    "range_lu",
                    Unit.LU,
                    "EBU Tech 3342 loudness range (L95 - L10 of gated short-term loudness)");
    static final MetricDefinition TRUE_PEAK =
            new MetricDefinition(
                    "true_peak_dbtp",
                    Unit.DBTP,
                    "BS.1770-4 Annex 2 true peak, 4x oversampled below 96 kHz");
    static final MetricDefinition MOMENTARY_MAX =
            new MetricDefinition(
                    "momentary_max_lufs",
                    Unit.LUFS,
                    "loudest 400 ms block; null when the recording is shorter");
    static final MetricDefinition SHORT_TERM_MAX =
            new MetricDefinition(
                    "short_term_max_lufs",
                    Unit.LUFS,
                    "loudest 3 s window; null when the recording is shorter");

    // Progress only (the per-chunk monitoring topic), not result metrics.
    static final MetricDefinition MOMENTARY =
            new MetricDefinition("momentary_lufs", Unit.LUFS, "loudness of the latest 400 ms");
    static final MetricDefinition SHORT_TERM =
            new MetricDefinition("short_term_lufs", Unit.LUFS, "loudness of the latest 3 s");

    private static final PluginInfo INFO =
            PluginInfo.builder("loudness", "1.0.5", StageKind.ANALYZER)
                    .description(
                            "EBU R128 loudness: integrated, range, true peak (ITU-R BS.1770-4)")
                    .metrics(INTEGRATED, RANGE, TRUE_PEAK, MOMENTARY_MAX, SHORT_TERM_MAX)
                    .options(
                            ConfigOption.bool(
                                    "true_peak",
                                    true,
                                    "measure true peak (costs 48 multiply-adds per sample and channel)"))
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
    public Accumulator open(AudioFormat format, StageContext context) {
        return new LoudnessAccumulator(format, context.config().getBoolean("true_peak"));
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        LoudnessAccumulator acc =
                new LoudnessAccumulator(format, context.config().getBoolean("true_peak"));
        acc.readFrom(in);
        return acc;
    }

    /** BS.1770 channel weights: surround channels (Ls, Rs) count 1.41, LFE not at all. */
    static double[] channelWeights(int channels) {
        double[] w = new double[channels];
        java.util.Arrays.fill(w, 1.0);
        if (channels == 5) {
            w[3] = 1.41;
            w[4] = 1.41;
        } else if (channels == 6) {
            w[3] = 0.0; // LFE
            w[4] = 1.41;
            w[5] = 1.41;
        }
        return w;
    }

    static final class LoudnessAccumulator implements Accumulator {
        private static final int MOMENTARY_SUBBLOCKS = 4; // 400 ms
        private static final int SHORT_TERM_SUBBLOCKS = 30; // 3 s

        private final KWeighting k;
        private final double[] weights;
        private final int subblockFrames; // 100 ms
        private final double[] filterState; // per channel: shelf s1, s2, high-pass s1, s2
        private final TruePeakMeter truePeak;
        private final double[] recent =
                new double[SHORT_TERM_SUBBLOCKS]; // sub-block energies, ring
        private final LoudnessHistogram blocks = new LoudnessHistogram();
        private final LoudnessHistogram shortTerm = new LoudnessHistogram();
        private double subblockEnergy;
        private int subblockFill;
        private long subblocks;
        private double momentaryMax = Double.NEGATIVE_INFINITY;
        private double shortTermMax = Double.NEGATIVE_INFINITY;

        LoudnessAccumulator(AudioFormat format, boolean measureTruePeak) {
            k = new KWeighting(format.sampleRate());
            weights = channelWeights(format.channels());
            subblockFrames = Math.max(1, (int) Math.round(format.sampleRate() / 10.0));
            filterState = new double[4 * format.channels()];
            truePeak =
                    measureTruePeak
                            ? new TruePeakMeter(format.sampleRate(), format.channels())
                            : null;
        }

        @Override
        public void accept(AudioBlock block) {
            float[] x = block.samples();
            int channels = weights.length;
            int frames = x.length / channels;
            for (int i = 0; i < frames; ) {
                int run = Math.min(subblockFrames - subblockFill, frames - i);
                for (int c = 0; c < channels; c++)
                    subblockEnergy += weights[c] * kWeightedEnergy(x, channels, c, i, run);
                subblockFill += run;
                i += run;
                if (subblockFill == subblockFrames) closeSubblock();
            }
            if (truePeak != null) truePeak.accept(x);
        }

        /**
         * Filters {@code run} frames of channel {@code c} from frame {@code from} through the
         * K-weighting (two biquads, two samples per step: see {@link KWeighting.Biquad}) and
         * returns their energy. The state lives in locals for the run: a recursive filter is bound
         * by the latency of its feedback, and a round trip through memory per sample would double
         * it.
         */
        private double kWeightedEnergy(float[] x, int channels, int c, int from, int run) {
            int o = 4 * c;
            double s0 = filterState[o], s1 = filterState[o + 1];
            double s2 = filterState[o + 2], s3 = filterState[o + 3];
            KWeighting.Biquad f = k.shelf, h = k.highPass;
            double b0 = f.b0(), a1 = f.a1(), a2 = f.a2(), p0 = f.p0(), p1 = f.p1();
            double hb0 = h.b0(), ha1 = h.a1(), ha2 = h.a2(), hp0 = h.p0(), hp1 = h.p1();
            // The first column of A² and A·P, for each stage.
            double m0 = a1 * a1 - a2, m1 = a1 * a2, q0 = p1 - a1 * p0, q1 = -a2 * p0;
            double hm0 = ha1 * ha1 - ha2, hm1 = ha1 * ha2, hq0 = hp1 - ha1 * hp0, hq1 = -ha2 * hp0;
            double even = 0, odd = 0; // two sums: one would be a chain of its own
            int j = from * channels + c, end = j + run * channels;
            for (; j + channels < end; j += 2 * channels) {
                double xa = x[j], xb = x[j + channels];
                double ya = b0 * xa + s0;
                double yb = b0 * xb + ((p0 * xa + s1) - a1 * s0);
                double t0 = (m0 * s0 - a1 * s1) + (q0 * xa + p0 * xb);
                s1 = (m1 * s0 - a2 * s1) + (q1 * xa + p1 * xb);
                s0 = t0;
                double za = hb0 * ya + s2;
                double zb = hb0 * yb + ((hp0 * ya + s3) - ha1 * s2);
                double t2 = (hm0 * s2 - ha1 * s3) + (hq0 * ya + hp0 * yb);
                s3 = (hm1 * s2 - ha2 * s3) + (hq1 * ya + hp1 * yb);
                s2 = t2;
                even += za * za;
                odd += zb * zb;
            }
            if (j < end) { // an odd frame out: one step
                double xa = x[j];
                double ya = b0 * xa + s0;
                double t0 = (p0 * xa + s1) - a1 * s0;
                s1 = p1 * xa - a2 * s0;
                s0 = t0;
                double za = hb0 * ya + s2;
                double t2 = (hp0 * ya + s3) - ha1 * s2;
                s3 = hp1 * ya - ha2 * s2;
                s2 = t2;
                even += za * za;
            }
            filterState[o] = s0;
            filterState[o + 1] = s1;
            filterState[o + 2] = s2;
            filterState[o + 3] = s3;
            return even + odd;
        }

        private void closeSubblock() {
            recent[(int) (subblocks % SHORT_TERM_SUBBLOCKS)] = subblockEnergy / subblockFrames;
            subblocks++;
            subblockEnergy = 0;
            subblockFill = 0;
            if (subblocks >= MOMENTARY_SUBBLOCKS) {
                double e = meanOfLast(MOMENTARY_SUBBLOCKS);
                blocks.add(e);
                momentaryMax = Math.max(momentaryMax, LoudnessHistogram.loudness(e));
            }
            if (subblocks >= SHORT_TERM_SUBBLOCKS) {
                double e = meanOfLast(SHORT_TERM_SUBBLOCKS);
                shortTerm.add(e);
                shortTermMax = Math.max(shortTermMax, LoudnessHistogram.loudness(e));
            }
        }

        private double meanOfLast(int n) {
            double sum = 0;
            for (int j = 1; j <= n; j++)
                sum += recent[(int) ((subblocks - j) % SHORT_TERM_SUBBLOCKS)];
            return sum / n;
        }

        /**
         * Momentary (last 400 ms) and short-term (last 3 s) loudness, once that much audio came.
         */
        @Override
        public List<QualityMetric> progress() {
            List<QualityMetric> now = new ArrayList<>(2);
            if (subblocks >= MOMENTARY_SUBBLOCKS)
                now.add(
                        MOMENTARY.value(
                                LoudnessHistogram.loudness(meanOfLast(MOMENTARY_SUBBLOCKS))));
            if (subblocks >= SHORT_TERM_SUBBLOCKS)
                now.add(
                        SHORT_TERM.value(
                                LoudnessHistogram.loudness(meanOfLast(SHORT_TERM_SUBBLOCKS))));
            return now;
        }

        @Override
        public List<QualityMetric> result() {
            double integrated = blocks.gatedLoudness(blocks.relativeGate(-10.0));
            double range = 0;
            if (!shortTerm.isEmpty()) {
                double gate = shortTerm.relativeGate(-20.0);
                range = shortTerm.percentile(gate, 0.95) - shortTerm.percentile(gate, 0.10);
            }
            double peak = truePeak == null ? Double.NaN : truePeak.peak();
            return List.of(
                    INTEGRATED.value(
                            Double.isNaN(integrated) ? LoudnessHistogram.MIN_LUFS : integrated),
                    RANGE.value(range),
                    TRUE_PEAK.value(
                            peak > 0 ? 20 * Math.log10(peak) : peak == 0 ? -200.0 : Double.NaN),
                    MOMENTARY_MAX.value(maxOrNaN(momentaryMax)),
                    SHORT_TERM_MAX.value(maxOrNaN(shortTermMax)));
        }

        /** No window of that length fitted in the recording: there is no maximum to report. */
        private static double maxOrNaN(double max) {
            return max == Double.NEGATIVE_INFINITY
                    ? Double.NaN
                    : Math.max(LoudnessHistogram.MIN_LUFS, max);
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            for (double v : filterState) out.writeDouble(v);
            for (double v : recent) out.writeDouble(v);
            out.writeDouble(subblockEnergy);
            out.writeInt(subblockFill);
            out.writeLong(subblocks);
            out.writeDouble(momentaryMax);
            out.writeDouble(shortTermMax);
            blocks.writeTo(out);
            shortTerm.writeTo(out);
            out.writeBoolean(truePeak != null);
            if (truePeak != null) truePeak.writeTo(out);
        }

        void readFrom(DataInput in) throws IOException {
            for (int i = 0; i < filterState.length; i++) filterState[i] = in.readDouble();
            for (int i = 0; i < recent.length; i++) recent[i] = in.readDouble();
            subblockEnergy = in.readDouble();
            subblockFill = in.readInt();
            subblocks = in.readLong();
            momentaryMax = in.readDouble();
            shortTermMax = in.readDouble();
            blocks.readFrom(in);
            shortTerm.readFrom(in);
            if (in.readBoolean() && truePeak != null) truePeak.readFrom(in);
        }
    }
}
