package io.audioflow.pipeline.runtime;

import io.audioflow.api.Decision;
import io.audioflow.api.DecisionEngine;
import io.audioflow.api.StageKind;
import io.audioflow.operators.model.AudioChunk;
import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import io.audioflow.operators.model.PipelineIdentity;
import io.audioflow.operators.model.StageResult;
import io.audioflow.operators.model.StageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A whole pipeline over one recording at a time, in the calling thread: the same stage runners the
 * streaming job's operators wrap, wired as the pipeline's graph, with nothing between them. What
 * the job sends over an edge is handed to the next stage as a call, and the decision runs once
 * every stage has reported, as in the job's final join.
 *
 * <p>Not thread-safe: a thread that runs recordings needs its own.
 */
public final class RecordingRunner {

    /**
     * What one recording produced: its result, each stage's part in it, and what the job would send
     * to the dead-letter topic.
     */
    public record Outcome(String json, List<StageResult> stages, List<DeadLetter> deadLetters) {}

    private final PipelineIdentity identity;
    private final Node decoder;
    private final Map<String, Node> byName = new LinkedHashMap<>();
    private final StageSpec decisionSpec;
    private final DecisionEngine engine;

    /** Decides the shadow verdict: the decision's shadow, or itself; null without shadows. */
    private final DecisionEngine shadowEngine;

    private final StepMeter decisionMeter;

    /** Results of the recording being run, by stage. */
    private final Map<String, StageResult> results = new LinkedHashMap<>();

    private final List<DeadLetter> deadLetters = new ArrayList<>();

    /**
     * @param stages every stage, upstream before downstream (as validation orders them)
     * @param maxRecordingSeconds {@code limits.max_recording_seconds}
     * @param services each stage's plugins, listener and meter
     * @param weighSessions write each stage's session out after every chunk, as a checkpoint would,
     *     for {@link #largestStateBytes}
     */
    public RecordingRunner(
            PipelineIdentity identity,
            List<StagePlan> stages,
            long maxRecordingSeconds,
            Function<StageSpec, StageServices> services,
            boolean weighSessions) {
        this.identity = identity;
        Node decode = null;
        StageSpec decision = null;
        for (StagePlan plan : stages) {
            StageSpec spec = plan.spec();
            if (spec.kind() == StageKind.DECISION) {
                decision = spec;
                continue;
            }
            Node node = new Node(new LocalSlots(weighSessions));
            byName.put(spec.name(), node);
            if (spec.kind() == StageKind.DECODER) decode = node;
            else byName.get(plan.upstream()).below.add(node);
        }
        if (decode == null) throw new IllegalArgumentException("a pipeline has a decoder stage");
        for (StagePlan plan : stages) {
            StageSpec spec = plan.spec();
            Node node = byName.get(spec.name());
            if (node == null) continue;
            StageServices s = services.apply(spec);
            node.runner =
                    switch (spec.kind()) {
                        case DECODER -> new DecodeStage(spec, maxRecordingSeconds, s, node.slots);
                        case PROCESSOR -> new ProcessorStage(spec, s, node.slots);
                        // An analyzer that later stages depend on passes its audio on, as in
                        // the job.
                        case ANALYZER ->
                                new AnalyzerStage(
                                        spec, false, !node.below.isEmpty(), s, node.slots);
                        case DECISION -> throw new IllegalStateException("handled above");
                    };
        }
        this.decoder = decode;
        this.decisionSpec = decision;
        StageServices decides = decision == null ? null : services.apply(decision);
        this.engine =
                decides == null
                        ? null
                        : (DecisionEngine)
                                decides.registry()
                                        .require(decision.plugin(), decision.semVer())
                                        .plugin();
        this.decisionMeter = decides == null ? StepMeter.NONE : decides.meter();
        StageSpec judge = decision == null ? null : decision.shadow();
        this.shadowEngine =
                decides == null || !DecisionStage.hasShadows(identity)
                        ? null
                        : judge == null
                                ? engine
                                : (DecisionEngine)
                                        decides.registry()
                                                .require(judge.plugin(), judge.semVer())
                                                .plugin();
    }

    /** Where a recording's chunks come from: it hands them on in order, as it reads them. */
    @FunctionalInterface
    public interface ChunkSource {
        void feed(Consumer<EncodedChunk> into);
    }

    /**
     * Runs one recording's chunks, in order, through every stage, each as it is read: only what the
     * stages keep stays in memory, never the whole recording.
     */
    public Outcome run(String recordingId, ChunkSource chunks) {
        results.clear();
        deadLetters.clear();
        for (Node n : byName.values()) n.slots.clear();
        chunks.feed(decoder::accept);
        List<StageResult> reported = new ArrayList<>(results.values());
        Decision decision =
                engine == null
                        ? null
                        : decisionMeter.measure(
                                () -> DecisionStage.decide(engine, decisionSpec, reported));
        Decision shadowDecision =
                shadowEngine == null
                        ? null
                        : DecisionStage.shadowDecision(shadowEngine, decisionSpec, reported);
        String json =
                RecordingResultJson.toJson(
                        recordingId, identity, reported, decision, shadowDecision);
        return new Outcome(json, reported, List.copyOf(deadLetters));
    }

    /**
     * Each stage's largest session so far, in bytes, by stage name; 0 unless the runner weighs its
     * sessions.
     */
    public Map<String, Long> largestStateBytes() {
        Map<String, Long> bytes = new LinkedHashMap<>();
        byName.forEach((name, node) -> bytes.put(name, node.slots.largestBytes()));
        return bytes;
    }

    /** True when every stage left no state behind after the last recording, as it must. */
    public boolean stagesAreEmpty() {
        return byName.values().stream().allMatch(n -> n.slots.isEmpty());
    }

    /** One stage in the graph, with its slots and the stages it feeds. */
    private final class Node implements StageOutput {
        final LocalSlots slots;
        final List<Node> below = new ArrayList<>();

        Node(LocalSlots slots) {
            this.slots = slots;
        }

        @SuppressWarnings("rawtypes")
        StageRunner runner;

        @SuppressWarnings("unchecked")
        void accept(Object in) {
            try {
                runner.process(in, this);
            } catch (InterruptedException e) {
                // Only a retry's backoff sleeps; whoever interrupted it wants the run to stop.
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running a stage", e);
            }
        }

        @Override
        public void audio(AudioChunk chunk) {
            for (Node n : below) n.accept(chunk);
        }

        @Override
        public void result(StageResult result) {
            results.put(result.stage, result);
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            deadLetters.add(letter);
        }
    }
}
