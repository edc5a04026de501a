package io.audioflow.job.compile;

import io.audioflow.api.StageKind;
import io.audioflow.operators.control.ConfigApplied;
import io.audioflow.operators.control.ConfigStamper;
import io.audioflow.operators.functions.AnalyzerFunction;
import io.audioflow.operators.functions.DecodeFunction;
import io.audioflow.operators.functions.ProcessorFunction;
import io.audioflow.operators.functions.ResultAssembler;
import io.audioflow.operators.functions.StageOutputs;
import io.audioflow.operators.ingest.ReassemblyOperator;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.ChunkProgress;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.PipelineVersion;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import io.audioflow.pipeline.ingest.ReassemblyLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Turns a validated pipeline into a Flink dataflow, one operator per stage. Audio is shuffled once,
 * by recording id, before the decoder; every later audio edge is a forward edge that Flink chains,
 * and the final join collects only small per-stage results.
 */
public final class PipelineCompiler {

    private static final KeySelector<EncodedChunk, String> ENCODED_KEY = c -> c.recordingId;
    private static final KeySelector<AudioChunk, String> AUDIO_KEY = c -> c.recordingId;
    private static final KeySelector<StageResult, String> RESULT_KEY = r -> r.recordingId;

    private final ValidatedPipeline pipeline;
    private final int defaultParallelism;
    private final ReassemblyLimits limits;
    private final boolean reportProgress;

    public PipelineCompiler(
            ValidatedPipeline pipeline, int defaultParallelism, ReassemblyLimits limits) {
        this(pipeline, defaultParallelism, limits, false);
    }

    /**
     * @param reportProgress analyzers report each chunk's progress metrics ({@link
     *     Compiled#progress})
     */
    public PipelineCompiler(
            ValidatedPipeline pipeline,
            int defaultParallelism,
            ReassemblyLimits limits,
            boolean reportProgress) {
        this.pipeline = pipeline;
        this.defaultParallelism = defaultParallelism;
        this.limits = limits;
        this.reportProgress = reportProgress;
    }

    /**
     * The compiled graph's two outputs.
     *
     * @param results one JSON result per recording
     * @param deadLetters input messages that could not be used and stage failures
     * @param progress analyzers' per-chunk progress; empty unless the compiler reports it
     * @param configApplied each stamper subtask's notice that it applied a configuration version;
     *     empty without a control stream
     */
    public record Compiled(
            DataStream<String> results,
            DataStream<DeadLetter> deadLetters,
            Optional<DataStream<ChunkProgress>> progress,
            Optional<DataStream<ConfigApplied>> configApplied) {}

    public Compiled compile(DataStream<EncodedChunk> input) {
        return compile(input, null);
    }

    /**
     * @param control configuration versions accepted from the control topic; null when the job
     *     takes no updates
     */
    public Compiled compile(
            DataStream<EncodedChunk> input, BroadcastStream<PipelineVersion> control) {
        Map<String, DataStream<AudioChunk>> audio = new LinkedHashMap<>();
        List<DataStream<StageResult>> results = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        List<DataStream<ChunkProgress>> progress = new ArrayList<>();
        SingleOutputStreamOperator<EncodedChunk> stamper =
                control == null ? null : stamper(input, control, parallelismOf(pipeline.decoder()));
        for (ResolvedStage stage : pipeline.stages()) {
            StageSpec spec = stage.spec();
            int parallelism = parallelismOf(stage);
            switch (spec.kind()) {
                case DECODER -> {
                    // The one shuffle of encoded audio; the decoder then reads in the same task.
                    // With one task on either side there is nothing to distribute: the input
                    // is chained to it instead (no copy of a whole file through the network
                    // stack when one worker reads files).
                    SingleOutputStreamOperator<EncodedChunk> ordered =
                            (stamper == null
                                            ? keyed(
                                                    input,
                                                    ENCODED_KEY,
                                                    parallelism,
                                                    parallelism == 1 && input.getParallelism() == 1)
                                            : DataStreamUtils.reinterpretAsKeyedStream(
                                                    stamper, ENCODED_KEY, Types.STRING))
                                    .transform(
                                            "reassemble chunks",
                                            TypeInformation.of(EncodedChunk.class),
                                            new ReassemblyOperator(limits))
                                    .uid(OperatorIds.REASSEMBLY_UID)
                                    .name("reassemble chunks")
                                    .setParallelism(parallelism);
                    deadLetters.add(ordered.getSideOutput(StageOutputs.DEAD_LETTERS));
                    SingleOutputStreamOperator<AudioChunk> decoded =
                            DataStreamUtils.reinterpretAsKeyedStream(
                                            ordered, ENCODED_KEY, Types.STRING)
                                    .process(new DecodeFunction(spec, limits.maxRecordingSeconds()))
                                    .uid(OperatorIds.uid(stage))
                                    .name(OperatorIds.name(spec))
                                    .setParallelism(parallelism);
                    audio.put(spec.name(), decoded);
                    results.add(decoded.getSideOutput(StageOutputs.RESULTS));
                    deadLetters.add(decoded.getSideOutput(StageOutputs.DEAD_LETTERS));
                }
                case PROCESSOR -> {
                    SingleOutputStreamOperator<AudioChunk> processed =
                            keyedAudio(audio.get(upstream(stage)), parallelism)
                                    .process(new ProcessorFunction(spec))
                                    .uid(OperatorIds.uid(stage))
                                    .name(OperatorIds.name(spec))
                                    .setParallelism(parallelism);
                    audio.put(spec.name(), processed);
                    results.add(processed.getSideOutput(StageOutputs.RESULTS));
                    deadLetters.add(processed.getSideOutput(StageOutputs.DEAD_LETTERS));
                }
                case ANALYZER -> {
                    // An analyzer that later stages depend on passes its audio on, with products.
                    boolean passAudio = feedsAudio(stage);
                    SingleOutputStreamOperator<StageResult> analyzed =
                            keyedAudio(audio.get(upstream(stage)), parallelism)
                                    .process(new AnalyzerFunction(spec, reportProgress, passAudio))
                                    .uid(OperatorIds.uid(stage))
                                    .name(OperatorIds.name(spec))
                                    .setParallelism(parallelism);
                    results.add(analyzed);
                    if (passAudio)
                        audio.put(spec.name(), analyzed.getSideOutput(StageOutputs.AUDIO));
                    deadLetters.add(analyzed.getSideOutput(StageOutputs.DEAD_LETTERS));
                    if (reportProgress) progress.add(analyzed.getSideOutput(StageOutputs.PROGRESS));
                }
                case DECISION -> {
                    // built below: the decision runs inside the join that ends the graph
                }
            }
        }
        StageSpec decision = pipeline.decision().map(ResolvedStage::spec).orElse(null);
        DataStream<StageResult> all = union(results);
        int parallelism = pipeline.decision().map(this::parallelismOf).orElse(defaultParallelism);
        DataStream<String> json =
                keyed(all, RESULT_KEY, parallelism, sameParallelism(results, parallelism))
                        .process(new ResultAssembler(pipeline.identity(), decision))
                        .uid(
                                pipeline.decision()
                                        .map(OperatorIds::uid)
                                        .orElse(OperatorIds.RESULTS_UID))
                        .name(decision == null ? "results" : OperatorIds.name(decision))
                        .setParallelism(parallelism);
        return new Compiled(
                json,
                union(deadLetters),
                progress.isEmpty() ? Optional.empty() : Optional.of(union(progress)),
                Optional.ofNullable(stamper).map(s -> s.getSideOutput(ConfigStamper.APPLIED)));
    }

    /**
     * With a control stream, chunks pass the config stamper first; it heads the chain that
     * reassembly and the stages then join, so updates cost no extra shuffle.
     */
    private SingleOutputStreamOperator<EncodedChunk> stamper(
            DataStream<EncodedChunk> input,
            BroadcastStream<PipelineVersion> control,
            int parallelism) {
        return input.keyBy(ENCODED_KEY)
                .connect(control)
                .process(new ConfigStamper(pipeline.configSha256()))
                .uid(OperatorIds.CONFIG_STAMP_UID)
                .name("apply config updates")
                .setParallelism(parallelism);
    }

    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        DataStream<T> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) all = all.union(streams.get(i));
        return all;
    }

    private String upstream(ResolvedStage stage) {
        return pipeline.graph().upstreamOf(stage.name()).get(0);
    }

    private int parallelismOf(ResolvedStage stage) {
        Integer p = stage.definition().parallelism();
        return p == null ? defaultParallelism : p;
    }

    private boolean feedsAudio(ResolvedStage stage) {
        return pipeline.graph().downstreamOf(stage.name()).stream()
                .anyMatch(d -> pipeline.stage(d).spec().kind() != StageKind.DECISION);
    }

    private KeyedStream<AudioChunk, String> keyedAudio(
            DataStream<AudioChunk> upstream, int parallelism) {
        return keyed(upstream, AUDIO_KEY, parallelism, upstream.getParallelism() == parallelism);
    }

    /**
     * Upstream is already partitioned by recording id; when parallelism matches, say so to Flink
     * instead of shuffling again. A stage with its own parallelism pays for one more shuffle.
     */
    private static <T> KeyedStream<T, String> keyed(
            DataStream<T> upstream,
            KeySelector<T, String> key,
            int parallelism,
            boolean samePartitioning) {
        return samePartitioning
                ? DataStreamUtils.reinterpretAsKeyedStream(upstream, key, Types.STRING)
                : upstream.keyBy(key);
    }

    private static boolean sameParallelism(List<DataStream<StageResult>> streams, int parallelism) {
        return streams.stream().allMatch(s -> s.getParallelism() == parallelism);
    }
}
