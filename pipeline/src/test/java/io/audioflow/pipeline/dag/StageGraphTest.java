package io.audioflow.pipeline.dag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageGraphTest {

    private static StageGraph graph(Object... namesAndDeps) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDeps.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> d = (List<String>) namesAndDeps[i + 1];
            deps.put((String) namesAndDeps[i], d);
        }
        return new StageGraph(deps);
    }

    @Test
    void ordersStagesAfterTheirDependenciesKeepingDeclarationOrderOtherwise() {
        StageGraph g =
                graph(
                        "decision", List.of("temporal", "vad"),
                        "vad", List.of("preprocess"),
                        "decode", List.of(),
                        "temporal", List.of("decode"),
                        "preprocess", List.of("decode"));
        assertThat(g.topologicalOrder())
                .contains(List.of("decode", "temporal", "preprocess", "vad", "decision"));
    }

    @Test
    void aJoinHasEveryBranchUpstreamAndABranchPointFansOut() {
        StageGraph g =
                graph(
                        "decode",
                        List.of(),
                        "a",
                        List.of("decode"),
                        "b",
                        List.of("decode"),
                        "join",
                        List.of("a", "b"));
        assertThat(g.upstreamOf("join")).containsExactly("a", "b");
        assertThat(g.downstreamOf("decode")).containsExactly("a", "b");
    }

    @Test
    void namesTheCycleWhenThereIsOne() {
        StageGraph g =
                graph("decode", List.of(), "a", List.of("c"), "b", List.of("a"), "c", List.of("b"));
        assertThat(g.topologicalOrder()).isEmpty();
        assertThat(g.findCycle()).contains(List.of("a", "b", "c", "a"));
        assertThat(graph("x", List.of("x")).findCycle()).contains(List.of("x", "x"));
    }

    @Test
    void ignoresEdgesToUndefinedStagesWhichValidationReportsSeparately() {
        StageGraph g = graph("a", List.of("ghost"));
        assertThat(g.upstreamOf("a")).isEmpty();
        assertThat(g.topologicalOrder()).contains(List.of("a"));
    }
}
