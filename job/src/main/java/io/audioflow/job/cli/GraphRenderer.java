package io.audioflow.job.cli;

import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.ValidatedPipeline;

/** The stage graph as Mermaid or Graphviz text: processor, version and parallelism per node. */
final class GraphRenderer {

    private GraphRenderer() {}

    static String mermaid(ValidatedPipeline p, int defaultParallelism) {
        StringBuilder s = new StringBuilder("flowchart LR\n");
        for (ResolvedStage stage : p.stages()) {
            s.append("  ")
                    .append(id(stage.name()))
                    .append("[\"")
                    .append(label(stage, defaultParallelism, "<br/>"))
                    .append("\"]\n");
        }
        for (ResolvedStage stage : p.stages()) {
            for (String up : p.graph().upstreamOf(stage.name())) {
                s.append("  ").append(id(up)).append(" --> ").append(id(stage.name())).append('\n');
            }
        }
        return s.toString();
    }

    static String dot(ValidatedPipeline p, int defaultParallelism) {
        StringBuilder s =
                new StringBuilder(
                        "digraph \""
                                + p.definition().name()
                                + "\" {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        for (ResolvedStage stage : p.stages()) {
            s.append("  ")
                    .append(id(stage.name()))
                    .append(" [label=\"")
                    .append(label(stage, defaultParallelism, "\\n"))
                    .append("\"];\n");
        }
        for (ResolvedStage stage : p.stages()) {
            for (String up : p.graph().upstreamOf(stage.name())) {
                s.append("  ").append(id(up)).append(" -> ").append(id(stage.name())).append(";\n");
            }
        }
        return s.append("}\n").toString();
    }

    private static String label(ResolvedStage stage, int defaultParallelism, String newline) {
        Integer p = stage.definition().parallelism();
        return stage.name()
                + newline
                + stage.spec().coordinates()
                + " ("
                + stage.spec().kind().label()
                + ")"
                + newline
                + "parallelism "
                + (p == null ? defaultParallelism + " (default)" : p);
    }

    private static String id(String stage) {
        return "s_" + stage.replace('-', '_');
    }
}
