package io.audioflow.job.profile;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioDecoder;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.AudioflowException;
import io.audioflow.api.Decision;
import io.audioflow.api.DecisionEngine;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.FrameTrack;
import io.audioflow.api.QualityMetric;
import io.audioflow.api.StageKind;
import io.audioflow.api.StageState;
import io.audioflow.api.ValidationException;
import io.audioflow.job.pipeline.ResolvedStage;
import io.audioflow.job.pipeline.ValidatedPipeline;
import io.audioflow.operators.functions.FileChunkReader;
import io.audioflow.operators.functions.RecordingResultJson;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.flink.util.Collector;

/**
 * Runs a pipeline over local files in this thread, calling each stage's plugin directly, and
 * charges every plugin call's time and allocations to its stage. Without Flink in between, what is
 * not a stage is overhead: reading files, handing blocks on, assembling results. The plugins and
 * their configs are the ones the streaming job runs; {@code error_handling} is not applied (a
 * profile counts failures, it does not hide them).
 */
public final class PipelineProfiler {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final ValidatedPipeline pipeline;
    private final FileChunkReader reader;
    private final Map<String, Meter> meters = new LinkedHashMap<>();

    /** Each stage's downstream stages, looked up once: blocks are handed on many times a file. */
    private final Map<String, List<ResolvedStage>> downstream = new HashMap<>();

    private double audioSeconds;

    public PipelineProfiler(ValidatedPipeline pipeline, FileChunkReader reader) {
        this.pipeline = pipeline;
        this.reader = reader;
        for (ResolvedStage s : pipeline.stages()) {
            meters.put(s.name(), new Meter());
            downstream.put(
                    s.name(),
                    pipeline.graph().downstreamOf(s.name()).stream().map(pipeline::stage).toList());
        }
    }

    public Profile run(List<String> files) {
        long started = System.nanoTime();
        List<String> results = new ArrayList<>();
        for (String file : files) results.add(new FileRun(file).run());
        long total = System.nanoTime() - started;
        List<StageCost> costs = new ArrayList<>();
        for (ResolvedStage s : pipeline.stages()) {
            Meter m = meters.get(s.name());
            costs.add(
                    new StageCost(
                            s.name(),
                            s.spec().coordinates(),
                            m.nanos,
                            m.allocated,
                            m.stateBytes,
                            m.attempted,
                            m.failed));
        }
        return new Profile(pipeline.definition().name(), costs, total, audioSeconds, results);
    }

    /** Time and allocations of one stage, over the whole run. */
    private static final class Meter {
        long nanos;
        long allocated;
        long stateBytes;
        int attempted;
        int failed;

        <T> T measure(Supplier<T> call) {
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            long t = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos += System.nanoTime() - t;
                allocated += THREADS.getCurrentThreadAllocatedBytes() - bytes;
            }
        }

        void measure(Runnable call) {
            measure(
                    () -> {
                        call.run();
                        return null;
                    });
        }

        void sawState(StageState state) {
            long[] count = {0};
            OutputStream counter =
                    new OutputStream() {
                        @Override
                        public void write(int b) {
                            count[0]++;
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            count[0] += len;
                        }
                    };
            try {
                state.writeTo(new DataOutputStream(counter));
            } catch (IOException e) {
                throw new IllegalStateException("counting bytes cannot fail", e);
            }
            stateBytes = Math.max(stateBytes, count[0]);
        }
    }

    /** One file through the graph: the stages' sessions, and what each reported. */
    private final class FileRun {
        private final String file;
        private final String id;
        private final Map<String, Object> sessions = new HashMap<>();
        private final Map<String, AudioFormat> formats = new HashMap<>();
        private final Map<String, StageResult> results = new LinkedHashMap<>();
        private final Set<String> failed = new HashSet<>();
        private long frames;

        FileRun(String file) {
            this.file = file;
            this.id = java.nio.file.Path.of(file).getFileName().toString();
        }

        String run() {
            List<EncodedChunk> chunks = new ArrayList<>();
            reader.flatMap(file, collector(chunks));
            ResolvedStage decode = pipeline.decoder();
            Meter meter = meters.get(decode.name());
            meter.attempted++;
            AudioDecoder decoder = (AudioDecoder) decode.plugin().plugin();
            try {
                EncodedChunk first = chunks.get(0);
                EncodingHint hint =
                        new EncodingHint(first.format, first.sampleRate, first.channels);
                AudioDecoder.DecoderSession session =
                        meter.measure(() -> decoder.open(hint, decode.spec().context()));
                for (EncodedChunk chunk : chunks) {
                    List<AudioBlock> blocks = new ArrayList<>();
                    meter.measure(() -> session.feed(chunk.data, blocks::add));
                    if (chunk.last) {
                        meter.sawState(session);
                        meter.measure(() -> session.finish(blocks::add));
                    }
                    for (AudioBlock b : blocks) {
                        frames += b.frames();
                        push(decode.name(), b);
                    }
                }
                AudioFormat format = session.format();
                formats.put(decode.name(), format);
                audioSeconds += frames / (double) format.sampleRate();
                StageResult r = StageResult.ok(id, decode.spec());
                r.info.put("complete", "true");
                r.info.put("sample_rate", String.valueOf(format.sampleRate()));
                r.info.put("channels", String.valueOf(format.channels()));
                r.info.put("frames", String.valueOf(frames));
                results.put(decode.name(), r);
                end(decode.name());
            } catch (RuntimeException e) {
                fail(decode.spec(), e);
            }
            return assemble();
        }

        private void push(String from, AudioBlock block) {
            for (ResolvedStage stage : downstream.get(from)) {
                String to = stage.name();
                if (failed.contains(to) || stage.spec().kind() == StageKind.DECISION) continue;
                Meter meter = meters.get(to);
                try {
                    if (stage.spec().kind() == StageKind.PROCESSOR) {
                        AudioProcessor.ProcessorSession s = processor(stage, block.format());
                        List<AudioBlock> out = new ArrayList<>();
                        meter.measure(() -> s.process(block, out::add));
                        for (AudioBlock b : out) push(to, b);
                    } else {
                        AudioAnalyzer.Accumulator a = analyzer(stage, block.format());
                        meter.measure(() -> a.accept(block));
                        if (feedsAudio(to)) push(to, annotated(block, a.tracks()));
                    }
                } catch (RuntimeException e) {
                    fail(stage.spec(), e);
                }
            }
        }

        private AudioProcessor.ProcessorSession processor(ResolvedStage stage, AudioFormat in) {
            AudioProcessor p = (AudioProcessor) stage.plugin().plugin();
            return session(
                    stage,
                    in,
                    p.accepts(stage.spec().context().config()),
                    () -> p.open(in, stage.spec().context()));
        }

        private AudioAnalyzer.Accumulator analyzer(ResolvedStage stage, AudioFormat in) {
            AudioAnalyzer a = (AudioAnalyzer) stage.plugin().plugin();
            return session(
                    stage,
                    in,
                    a.accepts(stage.spec().context().config()),
                    () -> a.open(in, stage.spec().context()));
        }

        /** An analyzer that later stages depend on passes its audio on, as in the job. */
        private boolean feedsAudio(String stage) {
            return downstream.get(stage).stream()
                    .anyMatch(d -> d.spec().kind() != StageKind.DECISION);
        }

        private static AudioBlock annotated(AudioBlock block, List<FrameTrack> own) {
            if (own.isEmpty()) return block;
            List<FrameTrack> all = new ArrayList<>(block.tracks());
            all.addAll(own);
            return new AudioBlock(block.format(), block.startFrame(), block.samples(), all);
        }

        /** The stage's session for this file, opened (and timed) on its first audio. */
        @SuppressWarnings("unchecked")
        private <S> S session(
                ResolvedStage stage, AudioFormat in, FormatRequirement accepts, Supplier<S> open) {
            return (S)
                    sessions.computeIfAbsent(
                            stage.name(),
                            n -> {
                                if (!accepts.accepts(in))
                                    throw new ValidationException(
                                            ErrorCode.FORMAT_MISMATCH,
                                            "stage `" + n + "` needs " + accepts + ", got " + in);
                                Meter meter = meters.get(n);
                                meter.attempted++;
                                return meter.measure(open);
                            });
        }

        /** The stage's input ended: processors flush, analyzers report, then their downstream. */
        private void end(String from) {
            for (ResolvedStage stage : downstream.get(from)) {
                String to = stage.name();
                if (failed.contains(to) || stage.spec().kind() == StageKind.DECISION) continue;
                Meter meter = meters.get(to);
                try {
                    AudioFormat in = formats.get(from);
                    if (stage.spec().kind() == StageKind.PROCESSOR) {
                        AudioProcessor.ProcessorSession s = processor(stage, in);
                        List<AudioBlock> out = new ArrayList<>();
                        meter.sawState(s);
                        meter.measure(() -> s.finish(out::add));
                        for (AudioBlock b : out) push(to, b);
                        formats.put(to, s.outputFormat());
                        StageResult r = StageResult.ok(id, stage.spec());
                        r.info.putAll(s.changes());
                        results.put(to, r);
                        end(to);
                    } else {
                        AudioAnalyzer.Accumulator a = analyzer(stage, in);
                        meter.sawState(a);
                        List<QualityMetric> metrics = meter.measure(a::result);
                        StageResult r = StageResult.ok(id, stage.spec());
                        for (QualityMetric m : metrics) r.metrics.put(m.name(), m.value());
                        results.put(to, r);
                        if (feedsAudio(to)) {
                            formats.put(to, in);
                            end(to);
                        }
                    }
                } catch (RuntimeException e) {
                    fail(stage.spec(), e);
                }
            }
        }

        /** The stage failed on this file; every stage below it reports upstream_failed. */
        private void fail(StageSpec stage, RuntimeException e) {
            meters.get(stage.name()).failed++;
            ErrorCode code =
                    e instanceof AudioflowException af ? af.code() : ErrorCode.STAGE_FAILED;
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            results.put(stage.name(), StageResult.failed(id, stage, code.code(), message));
            failed.add(stage.name());
            markDownstream(stage.name(), stage.name());
        }

        private void markDownstream(String from, String root) {
            for (ResolvedStage s : downstream.get(from)) {
                String to = s.name();
                if (!failed.add(to)) continue;
                if (s.spec().kind() != StageKind.DECISION)
                    results.put(
                            to,
                            StageResult.failed(
                                    id,
                                    s.spec(),
                                    ErrorCode.UPSTREAM_FAILED.code(),
                                    "stage `" + root + "` failed"));
                markDownstream(to, root);
            }
        }

        private String assemble() {
            Decision decision = null;
            var decisionStage = pipeline.decision();
            if (decisionStage.isPresent()) {
                ResolvedStage d = decisionStage.get();
                Map<String, Double> metrics = new TreeMap<>();
                for (StageResult r : results.values())
                    r.metrics.forEach((k, v) -> metrics.put(r.stage + "." + k, v));
                Meter meter = meters.get(d.name());
                meter.attempted++;
                DecisionEngine engine = (DecisionEngine) d.plugin().plugin();
                decision = meter.measure(() -> engine.decide(metrics, d.spec().context()));
            }
            return RecordingResultJson.toJson(
                    id, pipeline.identity(), new ArrayList<>(results.values()), decision);
        }
    }

    private static <T> Collector<T> collector(List<T> into) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
