package io.audioflow.operators.testing;

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
import io.audioflow.api.StageExecutionException;
import io.audioflow.api.StageKind;
import io.audioflow.api.Unit;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test plugin that fails its first {@code failures} calls (counted across the test JVM, which is
 * what a transient fault looks like) and then counts samples.
 */
public final class FlakyAnalyzer implements AudioAnalyzer {

    /** Calls that have failed so far; tests reset it. */
    public static final AtomicInteger FAILED = new AtomicInteger();

    /** Sessions restored from bytes so far; tests reset it. */
    public static final AtomicInteger RESTORED = new AtomicInteger();

    private static final MetricDefinition SAMPLES =
            new MetricDefinition("samples", Unit.COUNT, "samples seen");

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("flaky", "1.0.0", StageKind.ANALYZER)
                .metrics(SAMPLES)
                .options(
                        ConfigOption.integer(
                                "failures", 0L, 0L, 100L, "calls that fail before it works"),
                        ConfigOption.integer(
                                "fail_after_samples",
                                -1L,
                                -1L,
                                Long.MAX_VALUE,
                                "fails every call once it has counted this many samples"),
                        ConfigOption.bool(
                                "count_then_fail",
                                false,
                                "a failing call counts its samples first, as a step that fails"
                                        + " half-way through changing its state"))
                .build();
    }

    @Override
    public FormatRequirement accepts(StageConfig config) {
        return FormatRequirement.ANY;
    }

    @Override
    public Accumulator open(AudioFormat format, StageContext context) {
        return new Counter(context.config(), 0);
    }

    @Override
    public Accumulator restore(AudioFormat format, StageContext context, DataInput in)
            throws IOException {
        RESTORED.incrementAndGet();
        return new Counter(context.config(), in.readLong());
    }

    private static final class Counter implements Accumulator {
        private final int failures;
        private final long failAfter;
        private final boolean countThenFail;
        private long samples;

        Counter(StageConfig config, long samples) {
            this.failures = config.getInt("failures");
            // Operator tests build their specs by hand, without the defaults validation adds.
            this.failAfter =
                    config.asMap().containsKey("fail_after_samples")
                            ? config.getLong("fail_after_samples")
                            : -1;
            this.countThenFail =
                    config.asMap().containsKey("count_then_fail")
                            && config.getBoolean("count_then_fail");
            this.samples = samples;
        }

        @Override
        public void accept(AudioBlock block) {
            if (FAILED.get() < failures) {
                if (countThenFail) samples += block.samples().length;
                FAILED.incrementAndGet();
                throw new StageExecutionException(
                        ErrorCode.STAGE_FAILED, "transient fault " + FAILED.get());
            }
            if (failAfter >= 0 && samples >= failAfter)
                throw new StageExecutionException(
                        ErrorCode.STAGE_FAILED, "fails after " + failAfter + " samples");
            samples += block.samples().length;
        }

        @Override
        public List<QualityMetric> result() {
            return List.of(SAMPLES.value(samples));
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeLong(samples);
        }
    }
}
