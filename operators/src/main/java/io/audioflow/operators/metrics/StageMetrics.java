package io.audioflow.operators.metrics;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.LifecycleListener;
import io.audioflow.pipeline.runtime.StepMeter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * One stage operator's metrics, under the key-value group {@code audioflow_stage=<stage>} (a label
 * in Prometheus). Records in and out per operator are Flink's own {@code numRecordsIn/Out}; these
 * add what Flink cannot know: failures by error code, retries, how long a chunk takes, and how much
 * audio went through.
 */
public final class StageMetrics implements LifecycleListener, StepMeter {

    static final String STAGE_GROUP = "audioflow_stage";
    private static final int LATENCY_WINDOW = 1_000;

    private final MetricGroup group;
    private final Map<String, Counter> failuresByCode = new HashMap<>();
    private final Counter retries;
    private final Counter fallbacks;
    private final Histogram chunkMicros;
    private double audioSeconds;
    private long busyNanos;

    public StageMetrics(MetricGroup operatorGroup, String stage) {
        group = operatorGroup.addGroup(STAGE_GROUP, stage);
        retries = group.counter("retries");
        fallbacks = group.counter("fallbacks");
        chunkMicros =
                group.histogram(
                        "chunkProcessingMicros",
                        new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
        group.gauge("audioSecondsProcessed", (Gauge<Double>) () -> audioSeconds);
        // Seconds of audio per second of this operator's own work: above 1 it keeps up.
        group.gauge(
                "realTimeFactor",
                (Gauge<Double>) () -> busyNanos == 0 ? 0.0 : audioSeconds / (busyNanos / 1e9));
    }

    /** The time of the attempt that ran last: a retried step counts its successful attempt. */
    private long lastNanos;

    @Override
    public <T> T measure(Supplier<T> step) {
        long started = System.nanoTime();
        try {
            return step.get();
        } finally {
            lastNanos = System.nanoTime() - started;
        }
    }

    @Override
    public void stepDone(double seconds) {
        chunkMicros.update(lastNanos / 1_000);
        busyNanos += lastNanos;
        audioSeconds += seconds;
    }

    @Override
    public void stageFailed(String stage, String recordingId, ErrorCode code, String message) {
        failuresByCode
                .computeIfAbsent(
                        code.code(), c -> group.addGroup("error_code", c).counter("failures"))
                .inc();
    }

    @Override
    public void stageRetried(String stage, String recordingId, int attempt, long backoffMillis) {
        retries.inc();
    }

    @Override
    public void stageFellBack(
            String stage, String recordingId, String fallback, ErrorCode code, String message) {
        fallbacks.inc();
    }
}
