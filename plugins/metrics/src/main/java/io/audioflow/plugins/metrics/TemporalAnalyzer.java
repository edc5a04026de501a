package io.audioflow.plugins.metrics;

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
import java.util.List;

/**
 * Time-domain statistics over all channels together, as sox {@code stats} and ffmpeg {@code astats}
 * report them in their "Overall" section.
 */
public final class TemporalAnalyzer implements AudioAnalyzer {

    static final MetricDefinition PEAK =
            new MetricDefinition(
                    "peak_dbfs", Unit.DBFS, "20·log10(max |x|) over all samples; -200 for silence");
    static final MetricDefinition RMS =
            new MetricDefinition(
                    "rms_dbfs",
                    Unit.DBFS,
                    "20·log10(sqrt(mean x²)) over all samples; a full-scale sine reads -3.01");
    static final MetricDefinition DC =
            new MetricDefinition("dc_offset", Unit.RATIO, "mean sample value, in full-scale units");
    static final MetricDefinition CREST =
            new MetricDefinition("crest_db", Unit.DB, "peak_dbfs - rms_dbfs");
    static final MetricDefinition ZCR =
            new MetricDefinition(
                    "zcr",
                    Unit.PER_SAMPLE,
                    "sign changes between consecutive non-zero samples of a channel, per sample (ffmpeg astats)");
    static final MetricDefinition CLIPPING =
            new MetricDefinition(
                    "clipping_ratio", Unit.RATIO, "fraction of samples with |x| >= clip_level");

    // Progress only (the per-chunk monitoring topic), not result metrics.
    private static final MetricDefinition CHUNK_PEAK =
            new MetricDefinition("chunk_peak_dbfs", Unit.DBFS, "peak of the latest chunk");
    private static final MetricDefinition CHUNK_RMS =
            new MetricDefinition("chunk_rms_dbfs", Unit.DBFS, "RMS of the latest chunk");

    private static final PluginInfo INFO =
            PluginInfo.builder("temporal", "1.0.0", StageKind.ANALYZER)
                    .description(
                            "Peak, RMS, DC offset, crest factor, zero-crossing rate and clipping")
                    .metrics(PEAK, RMS, DC, CREST, ZCR, CLIPPING)
                    .options(
                            ConfigOption.number(
                                    "clip_level",
                                    32767.0 / 32768.0,
                                    0.5,
                                    1.0,
                                    "absolute sample value from which a sample counts as clipped (default: 16-bit full scale)"))
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
        return newAccumulator(format, context);
    }

    private static TemporalAccumulator newAccumulator(AudioFormat format, StageContext context) {
        return new TemporalAccumulator(
                format.channels(), (float) context.config().getDouble("clip_level"));
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        TemporalAccumulator acc = newAccumulator(format, context);
        acc.readFrom(in);
        return acc;
    }

    static final class TemporalAccumulator implements Accumulator {
        private final float clipLevel;
        // Per channel, for zero crossings: the sign of the last non-zero sample (±1; before
        // 2026-11-29 its value, in savepoints too), 0 = none yet.
        private final float[] lastNonZero;
        private long samples;
        private double sum;
        private double sumSquares;
        private double peak;
        private long crossings;
        private long clipped;
        // The latest block only, for progress(); not state.
        private double chunkPeak;
        private double chunkSumSquares;
        private long chunkSamples;

        TemporalAccumulator(int channels, float clipLevel) {
            this.clipLevel = clipLevel;
            this.lastNonZero = new float[channels];
        }

        @Override
        public void accept(AudioBlock block) {
            float[] x = block.samples();
            int channels = lastNonZero.length;
            double s = 0, ss = 0;
            float pk = 0;
            long zc = 0, clip = 0;
            for (int c = 0; c < channels; c++) {
                // As ffmpeg astats counts: zeros are skipped, and the sign before the first
                // non-zero sample counts as negative. Counted without branches: around zero,
                // speech changes sign too irregularly for the branch predictor (an hour: 2.2 →
                // 1.6 ns a sample; the sums, and so every result, are unchanged).
                int negative = lastNonZero[c] > 0 ? 0 : 1;
                int seen = 0;
                for (int i = c; i < x.length; i += channels) {
                    float v = x[i];
                    s += v;
                    ss += (double) v * v;
                    float a = Math.abs(v);
                    if (a > pk) pk = a;
                    if (a >= clipLevel) clip++;
                    int bits = Float.floatToRawIntBits(v);
                    int nonZero = ((bits & 0x7fffffff) + 0x7fffffff) >>> 31; // 0 for ±0
                    int change = nonZero & ((bits >>> 31) ^ negative);
                    zc += change;
                    negative ^= change;
                    seen |= nonZero;
                }
                if (seen != 0) lastNonZero[c] = negative == 1 ? -1 : 1;
            }
            sum += s;
            sumSquares += ss;
            peak = Math.max(peak, pk);
            chunkPeak = pk;
            chunkSumSquares = ss;
            chunkSamples = x.length;
            crossings += zc;
            clipped += clip;
            samples += x.length;
        }

        @Override
        public List<QualityMetric> result() {
            double n = Math.max(1, samples);
            double peakDb = Decibels.amplitudeToDb(peak);
            double rmsDb = Decibels.amplitudeToDb(Math.sqrt(sumSquares / n));
            return List.of(
                    PEAK.value(peakDb),
                    RMS.value(rmsDb),
                    DC.value(sum / n),
                    CREST.value(peakDb - rmsDb),
                    ZCR.value(crossings / n),
                    CLIPPING.value(clipped / n));
        }

        @Override
        public List<QualityMetric> progress() {
            if (chunkSamples == 0) return List.of();
            return List.of(
                    CHUNK_PEAK.value(Decibels.amplitudeToDb(chunkPeak)),
                    CHUNK_RMS.value(
                            Decibels.amplitudeToDb(Math.sqrt(chunkSumSquares / chunkSamples))));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeLong(samples);
            out.writeDouble(sum);
            out.writeDouble(sumSquares);
            out.writeDouble(peak);
            out.writeLong(crossings);
            out.writeLong(clipped);
            for (float p : lastNonZero) out.writeFloat(p);
        }

        void readFrom(DataInput in) throws IOException {
            samples = in.readLong();
            sum = in.readDouble();
            sumSquares = in.readDouble();
            peak = in.readDouble();
            crossings = in.readLong();
            clipped = in.readLong();
            for (int c = 0; c < lastNonZero.length; c++) lastNonZero[c] = in.readFloat();
        }
    }
}
