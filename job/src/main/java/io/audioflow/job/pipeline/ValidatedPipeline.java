package io.audioflow.job.pipeline;

import io.audioflow.api.StageKind;
import io.audioflow.job.dag.StageGraph;
import io.audioflow.operators.model.PipelineIdentity;
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

    public PipelineIdentity identity() {
        return new PipelineIdentity(
                definition.name(),
                definition.version(),
                configSha256,
                stages.stream().map(ResolvedStage::spec).toList());
    }
}
