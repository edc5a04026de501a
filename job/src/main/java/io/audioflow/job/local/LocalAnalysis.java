package io.audioflow.job.local;

import io.audioflow.api.LifecycleListener;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ChunkParser;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import io.audioflow.pipeline.ingest.RejectReason;
import io.audioflow.pipeline.plugin.LoggingLifecycleListener;
import io.audioflow.pipeline.plugin.PluginRegistry;
import io.audioflow.pipeline.runtime.FileChunks;
import io.audioflow.pipeline.runtime.RecordingResultJson;
import io.audioflow.pipeline.runtime.RecordingRunner;
import io.audioflow.pipeline.runtime.StagePlan;
import io.audioflow.pipeline.runtime.StageServices;
import io.audioflow.pipeline.runtime.StepMeter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A pipeline over local files, in this JVM, with the stage runners the streaming job's operators
 * wrap: what {@code analyze} does. No Flink: one recording is one thread's work from its first byte
 * to its result, so workers share nothing but the queue of files.
 */
public final class LocalAnalysis {

    private final ValidatedPipeline pipeline;
    private final FileChunks reader;
    private final int jobs;

    /**
     * @param jobs how many files are analysed at once, each in its own thread
     */
    public LocalAnalysis(ValidatedPipeline pipeline, FileChunks reader, int jobs) {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        this.pipeline = pipeline;
        this.reader = reader;
        this.jobs = jobs;
    }

    /** Every file's JSON result, in the order of {@code files}. */
    public List<String> run(List<Path> files) throws InterruptedException {
        String[] results = new String[files.size()];
        AtomicInteger next = new AtomicInteger();
        int workers = Math.max(1, Math.min(jobs, files.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, LocalAnalysis::worker);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++)
                running.add(
                        pool.submit(
                                () -> {
                                    RecordingRunner runner = runner();
                                    for (int i = next.getAndIncrement();
                                            i < results.length;
                                            i = next.getAndIncrement())
                                        results[i] = analyse(runner, files.get(i));
                                }));
            for (Future<?> f : running) f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(results);
    }

    private String analyse(RecordingRunner runner, Path file) {
        return refusal(reader, file).orElseGet(() -> run(runner, reader, file).json());
    }

    /**
     * The result of a file the job would refuse at its input, as the job's dead letter would name
     * it; empty for a file the pipeline runs.
     */
    public static Optional<String> refusal(FileChunks reader, Path file) {
        String format = FileChunks.formatOf(file.getFileName().toString(), reader.rawFormat());
        return ChunkParser.refusedFormat(format)
                .map(
                        why ->
                                RecordingResultJson.refused(
                                        FileChunks.recordingIdOf(file),
                                        RejectReason.UNKNOWN_FORMAT.code(),
                                        ChunkParser.STAGE,
                                        why));
    }

    /** One file through {@code runner}. */
    public static RecordingRunner.Outcome run(
            RecordingRunner runner, FileChunks reader, Path file) {
        return runner.run(FileChunks.recordingIdOf(file), into -> reader.read(file, into));
    }

    /** A worker's own runner: plugins are loaded per worker, as per subtask in the job. */
    private RecordingRunner runner() {
        return runner(pipeline, spec -> StepMeter.NONE, false);
    }

    /**
     * A runner of {@code pipeline} whose stages log their failures, retries and fallbacks as the
     * job's do.
     *
     * @param meters each stage's meter
     * @param weighSessions write each stage's session out after every chunk, to know its size
     */
    public static RecordingRunner runner(
            ValidatedPipeline pipeline,
            Function<StageSpec, StepMeter> meters,
            boolean weighSessions) {
        StageSpec decode = pipeline.decoder().spec();
        PluginRegistry registry =
                PluginRegistry.load(
                        decode.pluginPaths(), decode.allowedPluginSha256(), LifecycleListener.NONE);
        LifecycleListener logging =
                new LoggingLifecycleListener("audioflow analyze: " + pipeline.definition().name());
        return new RecordingRunner(
                pipeline.identity(),
                plans(pipeline),
                pipeline.definition()
                        .limits()
                        .applyTo(ReassemblyLimits.defaults())
                        .maxRecordingSeconds(),
                spec -> new StageServices(registry, logging, meters.apply(spec)),
                weighSessions);
    }

    /** The pipeline's stages as the runner takes them: in order, each with its upstream. */
    public static List<StagePlan> plans(ValidatedPipeline pipeline) {
        List<StagePlan> plans = new ArrayList<>();
        for (ResolvedStage s : pipeline.stages()) {
            List<String> upstream = pipeline.graph().upstreamOf(s.name());
            plans.add(new StagePlan(s.spec(), upstream.isEmpty() ? null : upstream.get(0)));
        }
        return plans;
    }

    private static Thread worker(Runnable r) {
        Thread t = new Thread(r, "audioflow-analyze");
        t.setDaemon(true);
        return t;
    }
}
