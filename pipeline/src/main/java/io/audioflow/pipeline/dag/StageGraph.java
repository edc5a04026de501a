package io.audioflow.pipeline.dag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Stages and their dependency edges, with a deterministic topological order. */
public final class StageGraph {

    private final Map<String, List<String>> upstream = new LinkedHashMap<>();
    private final Map<String, List<String>> downstream = new LinkedHashMap<>();

    /**
     * @param dependencies for each stage, in declaration order, the stages it depends on
     */
    public StageGraph(Map<String, List<String>> dependencies) {
        dependencies.keySet().forEach(s -> downstream.put(s, new ArrayList<>()));
        dependencies.forEach(
                (stage, deps) -> {
                    List<String> known =
                            deps.stream().filter(dependencies::containsKey).distinct().toList();
                    upstream.put(stage, known);
                    known.forEach(d -> downstream.get(d).add(stage));
                });
    }

    public Set<String> stages() {
        return upstream.keySet();
    }

    public List<String> upstreamOf(String stage) {
        return upstream.getOrDefault(stage, List.of());
    }

    public List<String> downstreamOf(String stage) {
        return downstream.getOrDefault(stage, List.of());
    }

    /**
     * Kahn's algorithm; ties are broken by declaration order, so the same file always compiles to
     * the same graph. Empty when the graph has a cycle.
     */
    public Optional<List<String>> topologicalOrder() {
        Map<String, Integer> indegree = new LinkedHashMap<>();
        upstream.forEach((s, deps) -> indegree.put(s, deps.size()));
        List<String> order = new ArrayList<>();
        Deque<String> ready = new ArrayDeque<>();
        indegree.forEach(
                (s, d) -> {
                    if (d == 0) ready.add(s);
                });
        while (!ready.isEmpty()) {
            String s = ready.poll();
            order.add(s);
            for (String next : downstream.get(s)) {
                if (indegree.merge(next, -1, Integer::sum) == 0) ready.add(next);
            }
        }
        return order.size() == upstream.size() ? Optional.of(order) : Optional.empty();
    }

    /** One cycle, as the stages along it with the first repeated at the end (a → b → a). */
    public Optional<List<String>> findCycle() {
        Set<String> done = new LinkedHashSet<>();
        for (String start : upstream.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> cycle = walk(start, path, new LinkedHashSet<>(), done);
            if (cycle.isPresent()) return cycle;
        }
        return Optional.empty();
    }

    private Optional<List<String>> walk(
            String stage, List<String> path, Set<String> onPath, Set<String> done) {
        if (onPath.contains(stage)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(stage), path.size()));
            cycle.add(stage);
            return Optional.of(cycle);
        }
        if (done.contains(stage)) return Optional.empty();
        onPath.add(stage);
        path.add(stage);
        for (String next : downstream.get(stage)) {
            Optional<List<String>> cycle = walk(next, path, onPath, done);
            if (cycle.isPresent()) return cycle;
        }
        path.remove(path.size() - 1);
        onPath.remove(stage);
        done.add(stage);
        return Optional.empty();
    }
}
