package io.audioflow.job.profile;

import io.audioflow.api.ErrorCode;
import io.audioflow.job.local.LocalAnalysis;
import io.audioflow.operators.model.StageResult;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.runtime.FileChunks;
import io.audioflow.pipeline.runtime.RecordingRunner;
import io.audioflow.pipeline.runtime.StepMeter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a pipeline over local files in this thread, on the stage runners {@code analyze} and the job
 * use, and charges every step's time and allocations to its stage. Without Flink in between, what
 * is not a stage is overhead: reading files, handing audio on, assembling results. Stages run as
 * the job runs them, {@code error_handling} included.
 */
public final class PipelineProfiler {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final String UPSTREAM_FAILED = ErrorCode.UPSTREAM_FAILED.code();

    private final ValidatedPipeline pipeline;
    private final FileChunks reader;

    public PipelineProfiler(ValidatedPipeline pipeline, FileChunks reader) {
        this.pipeline = pipeline;
        this.reader = reader;
    }

    public Profile run(List<String> files) {
        Map<String, Meter> meters = new LinkedHashMap<>();
        for (ResolvedStage s : pipeline.stages()) meters.put(s.name(), new Meter());
        RecordingRunner runner =
                LocalAnalysis.runner(pipeline, spec -> meters.get(spec.name()), true);
        String decoder = pipeline.decoder().name();
        long started = System.nanoTime();
        List<String> results = new ArrayList<>();
        double audioSeconds = 0;
        for (String file : files) {
            Path path = Path.of(file);
            var refused = LocalAnalysis.refusal(reader, path);
            if (refused.isPresent()) {
                results.add(refused.get());
                continue;
            }
            RecordingRunner.Outcome outcome = LocalAnalysis.run(runner, reader, path);
            results.add(outcome.json());
            for (StageResult r : outcome.stages()) {
                Meter m = meters.get(r.stage);
                if (!"upstream_failed".equals(r.errorCode)) m.attempted++;
                if (StageResult.FAILED.equals(r.status) && !"upstream_failed".equals(r.errorCode))
                    m.failed++;
                audioSeconds += decodedSeconds(r);
            }
            if (pipeline.decision().isPresent())
                meters.get(pipeline.decision().get().name()).attempted++;
        }
        long total = System.nanoTime() - started;
        Map<String, Long> state = runner.largestStateBytes();
        List<StageCost> costs = new ArrayList<>();
        for (ResolvedStage s : pipeline.stages()) {
            Meter m = meters.get(s.name());
            costs.add(
                    new StageCost(
                            s.name(),
                            s.spec().coordinates(),
                            m.nanos,
                            m.allocated,
                            state.getOrDefault(s.name(), 0L),
                            m.attempted,
                            m.failed));
        }
        return new Profile(pipeline.definition().name(), costs, total, audioSeconds, results);
    }

    /** The audio a decoder's result reports; 0 when it failed before the format was known. */
    private static double decodedSeconds(StageResult r) {
        String frames = r.info.get("frames");
        String rate = r.info.get("sample_rate");
        if (frames == null || rate == null) return 0;
        return Long.parseLong(frames) / Double.parseDouble(rate);
    }

    /** Time and allocations of one stage's steps, over the whole run. */
    private static final class Meter implements StepMeter {
        long nanos;
        long allocated;
        int attempted;
        int failed;

        @Override
        public <T> T measure(Supplier<T> step) {
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            long t = System.nanoTime();
            try {
                return step.get();
            } finally {
                nanos += System.nanoTime() - t;
                allocated += THREADS.getCurrentThreadAllocatedBytes() - bytes;
            }
        }

        @Override
        public void stepDone(double audioSeconds) {}
    }
}
