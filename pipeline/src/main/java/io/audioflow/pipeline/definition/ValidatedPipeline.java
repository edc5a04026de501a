package io.audioflow.pipeline.definition;

import io.audioflow.api.StageKind;
import io.audioflow.operators.model.PipelineIdentity;
import io.audioflow.pipeline.dag.StageGraph;
import java.util.List;
import java.util.Optional;

/**
 * A pipeline that passed validation: stages in topological order with their plugins resolved. Only
 * this type reaches the compiler.
 */
public record ValidatedPipeline(
        PipelineDefinition definition,
        List<ResolvedStage> stages,
        StageGraph graph,
        String configSha256,
        List<Problem> warnings) {

    public ResolvedStage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    public ResolvedStage decoder() {
        return stages.stream()
                .filter(s -> s.spec().kind() == StageKind.DECODER)
                .findFirst()
                .orElseThrow();
    }

    public Optional<ResolvedStage> decision() {
        return stages.stream().filter(s -> s.spec().kind() == StageKind.DECISION).findFirst();
    }

    /** The same pipeline, its stages loading external plugins from {@code paths}. */
    public ValidatedPipeline withPluginPaths(List<String> paths) {
        return new ValidatedPipeline(
                definition,
                stages.stream()
                        .map(
                                s ->
                                        new ResolvedStage(
                                                s.definition(),
                                                s.plugin(),
                                                s.spec().withPluginPaths(paths),
                                                s.output()))
                        .toList(),
                graph,
                configSha256,
                warnings);
    }

    /**
     * The same pipeline with no stage's parallelism above {@code cap} (a machine's or a cluster's
     * limit on workers, {@code MAX_WORKERS}); the stages that asked for more, before the cap.
     */
    public ValidatedPipeline withParallelismCap(int cap) {
        return new ValidatedPipeline(
                definition,
                stages.stream()
                        .map(
                                s ->
                                        overCap(s, cap)
                                                ? new ResolvedStage(
                                                        s.definition().withParallelism(cap),
                                                        s.plugin(),
                                                        s.spec(),
                                                        s.output())
                                                : s)
                        .toList(),
                graph,
                configSha256,
                warnings);
    }

    /** Stages whose own parallelism is above {@code cap}. */
    public List<ResolvedStage> stagesOverCap(int cap) {
        return stages.stream().filter(s -> overCap(s, cap)).toList();
    }

    private static boolean overCap(ResolvedStage s, int cap) {
        Integer p = s.definition().parallelism();
        return p != null && p > cap;
    }

    public PipelineIdentity identity() {
        return new PipelineIdentity(
                definition.name(),
                definition.version(),
                configSha256,
                stages.stream().map(ResolvedStage::spec).toList());
    }
}
