package io.audioflow.pipeline.definition;

import io.audioflow.pipeline.dag.StageGraph;
import io.audioflow.pipeline.plugin.LoadedPlugin;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plugin may declare that it needs another's product ({@code PluginInfo.dependencies}, e.g. a
 * spectrum): the plugin it names must be installed and run by a stage upstream of the stage that
 * needs it, so that the product exists before it is used; and plugins must not need each other in a
 * circle, which no order of stages could satisfy.
 */
final class PluginDependencyChecker {

    private final PluginRegistry registry;

    PluginDependencyChecker(PluginRegistry registry) {
        this.registry = registry;
    }

    void check(
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            StageGraph graph,
            Problems problems) {
        if (reportCycle(stages, plugins, problems)) return;
        for (var e : plugins.entrySet()) {
            StageDefinition stage = stages.get(e.getKey());
            LoadedPlugin plugin = e.getValue();
            String runs = "stage `" + stage.name() + "` runs `" + plugin.info().coordinates() + "`";
            for (String needed : plugin.info().dependencies()) {
                if (registry.versionsOf(needed).isEmpty()) {
                    problems.error(
                            stage.processorAt(),
                            runs + ", which needs plugin `" + needed + "`; it is not installed",
                            "install a plugin named `"
                                    + needed
                                    + "` (see `audioflow plugins`), or choose another processor");
                } else if (ancestors(graph, stage.name()).stream()
                        .noneMatch(a -> plugins.get(a).info().name().equals(needed))) {
                    problems.error(
                            stage.processorAt(),
                            runs
                                    + ", which needs the product of `"
                                    + needed
                                    + "`, but no stage upstream of `"
                                    + stage.name()
                                    + "` runs `"
                                    + needed
                                    + "`",
                            "add a stage with `processor: "
                                    + needed
                                    + "` and list it (or a stage after it) in the `dependencies` of `"
                                    + stage.name()
                                    + "`");
                }
            }
        }
    }

    private static Set<String> ancestors(StageGraph graph, String stage) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(graph.upstreamOf(stage));
        while (!todo.isEmpty()) {
            String s = todo.pop();
            if (seen.add(s)) todo.addAll(graph.upstreamOf(s));
        }
        return seen;
    }

    /** Plugins used here that need each other in a circle; true when there is one. */
    private boolean reportCycle(
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            Problems problems) {
        for (var e : plugins.entrySet()) {
            List<String> path = new ArrayList<>();
            if (cycleFrom(e.getValue().info().name(), path, new LinkedHashSet<>())) {
                path = path.subList(path.indexOf(path.get(path.size() - 1)), path.size());
                problems.error(
                        stages.get(e.getKey()).processorAt(),
                        "plugins need each other in a circle: " + String.join(" -> ", path),
                        "no order of stages can run them; one of these plugins must not need the"
                                + " next");
                return true;
            }
        }
        return false;
    }

    private boolean cycleFrom(String plugin, List<String> path, Set<String> onPath) {
        path.add(plugin);
        if (!onPath.add(plugin)) return true;
        for (LoadedPlugin version : registry.versionsOf(plugin)) {
            for (String needed : version.info().dependencies()) {
                if (cycleFrom(needed, path, onPath)) return true;
            }
        }
        onPath.remove(plugin);
        path.remove(path.size() - 1);
        return false;
    }
}
