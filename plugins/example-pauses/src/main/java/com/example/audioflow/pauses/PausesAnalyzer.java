package com.example.audioflow.pauses;

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
 * Pauses in speech: stretches of 10 ms frames whose level stays below {@code threshold_dbfs} for at
 * least {@code min_pause_ms}. Leading and trailing silence are not pauses. Mono input (put it after
 * the default pipeline's {@code preprocess} stage).
 */
public final class PausesAnalyzer implements AudioAnalyzer {

    static final MetricDefinition COUNT =
            new MetricDefinition("count", Unit.COUNT, "pauses between sounds");
    static final MetricDefinition LONGEST =
            new MetricDefinition("longest_s", Unit.SECONDS, "the longest pause; 0 without pauses");
    static final MetricDefinition TOTAL =
            new MetricDefinition("total_s", Unit.SECONDS, "all pauses together");

    private static final PluginInfo INFO =
            PluginInfo.builder("pauses", "1.0.0", StageKind.ANALYZER)
                    .description("Pauses between sounds (an example external plugin)")
                    .metrics(COUNT, LONGEST, TOTAL)
                    .options(
                            ConfigOption.number(
                                    "threshold_dbfs",
                                    -45.0,
                                    -120.0,
                                    0.0,
                                    "frames quieter than this are silent"),
                            ConfigOption.integer(
                                    "min_pause_ms",
                                    200L,
                                    10L,
                                    60_000L,
                                    "shorter silences are not pauses"))
                    .build();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return new FormatRequirement(List.of(), 1);
    }

    @Override
    public Accumulator open(AudioFormat format, StageContext context) {
        return new Pauses(format, context.config());
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        Pauses p = new Pauses(format, context.config());
        p.readFrom(in);
        return p;
    }

    /** State: the frame being filled, the silent run so far, and the totals. Fixed size. */
    static final class Pauses implements Accumulator {
        private final int frameLength;
        private final double threshold; // mean square
        private final long minPauseFrames;
        private final double secondsPerFrame;
        private double sumSquares;
        private int filled;
        private boolean heardSound;
        private long silentRun;
        private long count;
        private long longest;
        private long total;

        Pauses(AudioFormat format, StageConfig config) {
            frameLength = Math.max(1, format.sampleRate() / 100);
            threshold = Math.pow(10, config.getDouble("threshold_dbfs") / 10);
            secondsPerFrame = frameLength / (double) format.sampleRate();
            minPauseFrames =
                    Math.max(
                            1,
                            Math.round(config.getLong("min_pause_ms") / 1000.0 / secondsPerFrame));
        }

        @Override
        public void accept(AudioBlock block) {
            for (float x : block.samples()) {
                sumSquares += (double) x * x;
                if (++filled == frameLength) frameDone();
            }
        }

        private void frameDone() {
            boolean silent = sumSquares / frameLength < threshold;
            sumSquares = 0;
            filled = 0;
            if (silent) {
                silentRun++;
                return;
            }
            // A sound after a long enough silence closes a pause; silence before the first sound
            // is leading silence.
            if (heardSound && silentRun >= minPauseFrames) {
                count++;
                total += silentRun;
                longest = Math.max(longest, silentRun);
            }
            heardSound = true;
            silentRun = 0;
        }

        @Override
        public List<QualityMetric> result() {
            return List.of(
                    COUNT.value(count),
                    LONGEST.value(longest * secondsPerFrame),
                    TOTAL.value(total * secondsPerFrame));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeDouble(sumSquares);
            out.writeInt(filled);
            out.writeBoolean(heardSound);
            out.writeLong(silentRun);
            out.writeLong(count);
            out.writeLong(longest);
            out.writeLong(total);
        }

        void readFrom(DataInput in) throws IOException {
            sumSquares = in.readDouble();
            filled = in.readInt();
            heardSound = in.readBoolean();
            silentRun = in.readLong();
            count = in.readLong();
            longest = in.readLong();
            total = in.readLong();
        }
    }
}
