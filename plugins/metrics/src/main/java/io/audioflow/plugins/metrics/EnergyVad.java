package io.audioflow.plugins.metrics;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.FrameTrack;
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
import java.util.Arrays;
import java.util.List;

/**
 * Energy voice activity detection with an adaptive noise floor. A 30 ms frame is speech when its
 * energy stands {@code threshold_db} above the tracked noise floor and above {@code min_level_db};
 * a hangover keeps short pauses inside a segment. The floor follows the minimum: it drops at once
 * to a quieter frame and rises slowly ({@code floor_rise_db_per_s}), so it learns a noise level
 * that changes within the recording.
 */
public final class EnergyVad implements AudioAnalyzer {

    static final int RATE = 16_000;
    static final int FRAME = 480; // 30 ms at 16 kHz

    /** Per 30 ms frame, 1 for speech and 0 for not, for the stages that depend on this one. */
    public static final String SPEECH_TRACK = "vad.speech";

    static final MetricDefinition SPEECH =
            new MetricDefinition(
                    "speech_ratio", Unit.RATIO, "fraction of 30 ms frames classified as speech");
    static final MetricDefinition SILENCE =
            new MetricDefinition(
                    "silence_ratio",
                    Unit.RATIO,
                    "fraction of frames not classified as speech (1 - speech_ratio)");
    static final MetricDefinition SPEECH_SECONDS =
            new MetricDefinition("speech_s", Unit.SECONDS, "total duration of speech frames");
    static final MetricDefinition SEGMENTS =
            new MetricDefinition(
                    "segments",
                    Unit.COUNT,
                    "number of speech segments (runs of speech frames, hangover included)");
    static final MetricDefinition NOISE_FLOOR =
            new MetricDefinition(
                    "noise_floor_db", Unit.DBFS, "final tracked noise-floor energy of a frame");

    private static final PluginInfo INFO =
            PluginInfo.builder("vad", "1.1.0", StageKind.ANALYZER)
                    .spiRange("^1.2")
                    .description(
                            "Energy voice activity detection with an adaptive noise floor (16 kHz mono)")
                    .metrics(SPEECH, SILENCE, SPEECH_SECONDS, SEGMENTS, NOISE_FLOOR)
                    .products(SPEECH_TRACK)
                    .options(
                            ConfigOption.number(
                                    "threshold_db",
                                    9.0,
                                    1.0,
                                    40.0,
                                    "how far above the noise floor a speech frame stands, in dB"),
                            ConfigOption.number(
                                    "min_level_db",
                                    -55.0,
                                    -120.0,
                                    0.0,
                                    "frames quieter than this (dBFS) are never speech"),
                            ConfigOption.number(
                                    "floor_rise_db_per_s",
                                    1.5,
                                    0.01,
                                    60.0,
                                    "how fast the noise floor may rise, in dB per second"),
                            ConfigOption.integer(
                                    "hangover_ms",
                                    240L,
                                    0L,
                                    5_000L,
                                    "pause kept inside a speech segment, in milliseconds"))
                    .build();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return FormatRequirement.of(RATE, 1);
    }

    @Override
    public Accumulator open(AudioFormat format, StageContext context) {
        return new VadAccumulator(context.config());
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        VadAccumulator acc = new VadAccumulator(context.config());
        acc.readFrom(in);
        return acc;
    }

    static final class VadAccumulator implements Accumulator {
        private final double threshold;
        private final double minLevel;
        private final double risePerFrame;
        private final int hangoverFrames;
        private final FrameBuffer partial = new FrameBuffer(FRAME, FRAME);
        private double floor = Double.NaN;
        private int hangover;
        private boolean inSegment;
        private long frames;
        private long speechFrames;
        private long segments;

        /** Labels of the frames the last block completed (reused, only a block's worth). */
        private float[] labels = new float[16];

        private int labelCount;
        private long firstLabelFrame;

        VadAccumulator(StageConfig config) {
            threshold = config.getDouble("threshold_db");
            minLevel = config.getDouble("min_level_db");
            risePerFrame = config.getDouble("floor_rise_db_per_s") * FRAME / RATE;
            hangoverFrames =
                    (int) Math.round(config.getLong("hangover_ms") * RATE / 1000.0 / FRAME);
        }

        @Override
        public void accept(AudioBlock block) {
            labelCount = 0;
            firstLabelFrame = frames;
            partial.push(block.samples(), this::frame);
        }

        @Override
        public List<FrameTrack> tracks() {
            return List.of(
                    new FrameTrack(
                            SPEECH_TRACK,
                            FRAME,
                            FRAME,
                            firstLabelFrame,
                            Arrays.copyOf(labels, labelCount)));
        }

        private void frame(float[] samples) {
            double energy = 0;
            for (float s : samples) energy += (double) s * s;
            double db = 10 * Math.log10(energy / FRAME + 1e-20);
            floor = Double.isNaN(floor) || db < floor ? db : floor + risePerFrame;
            boolean active = db > floor + threshold && db > minLevel;
            if (active) {
                hangover = hangoverFrames;
            } else if (hangover > 0) {
                hangover--;
                active = inSegment;
            }
            if (active && !inSegment) segments++;
            inSegment = active;
            frames++;
            if (active) speechFrames++;
            if (labelCount == labels.length) labels = Arrays.copyOf(labels, labelCount * 2);
            labels[labelCount++] = active ? 1f : 0f;
        }

        @Override
        public List<QualityMetric> result() {
            // The last partial frame is too short to judge; it counts for neither class.
            double speech = frames == 0 ? 0 : (double) speechFrames / frames;
            return List.of(
                    SPEECH.value(speech),
                    SILENCE.value(frames == 0 ? 1 : 1 - speech),
                    SPEECH_SECONDS.value(speechFrames * (double) FRAME / RATE),
                    SEGMENTS.value(segments),
                    NOISE_FLOOR.value(
                            Double.isNaN(floor)
                                    ? Decibels.FLOOR_DB
                                    : Math.max(Decibels.FLOOR_DB, floor)));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            partial.writeTo(out);
            out.writeDouble(floor);
            out.writeInt(hangover);
            out.writeBoolean(inSegment);
            out.writeLong(frames);
            out.writeLong(speechFrames);
            out.writeLong(segments);
        }

        void readFrom(DataInput in) throws IOException {
            partial.readFrom(in);
            floor = in.readDouble();
            hangover = in.readInt();
            inSegment = in.readBoolean();
            frames = in.readLong();
            speechFrames = in.readLong();
            segments = in.readLong();
        }
    }
}
