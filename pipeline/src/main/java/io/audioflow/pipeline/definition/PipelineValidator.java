package io.audioflow.pipeline.definition;

import io.audioflow.api.AudioAnalyzer;
import io.audioflow.api.AudioProcessor;
import io.audioflow.api.DecisionEngine;
import io.audioflow.api.FormatRequirement;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageKind;
import io.audioflow.api.StreamFormat;
import io.audioflow.api.VersionConstraint;
import io.audioflow.operators.model.ErrorPolicy;
import io.audioflow.operators.model.StageSpec;
import io.audioflow.pipeline.dag.StageGraph;
import io.audioflow.pipeline.plugin.LoadedPlugin;
import io.audioflow.pipeline.plugin.PinnedOutJar;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The semantic half of validation: plugins and versions, config, the graph (missing stages, cycles,
 * roles) and the audio format on every edge. Reports all problems, not the first.
 */
public final class PipelineValidator {

    private final PluginRegistry registry;
    private final List<String> pluginPaths;
    private final List<String> allowedPluginSha256;

    public PipelineValidator(PluginRegistry registry, List<String> pluginPaths) {
        this(registry, pluginPaths, List.of());
    }

    /**
     * @param pluginPaths where {@code registry}'s external plugins came from, for the operators
     * @param allowedPluginSha256 the pinned digests the operators check again when they load
     */
    public PipelineValidator(
            PluginRegistry registry, List<String> pluginPaths, List<String> allowedPluginSha256) {
        this.registry = registry;
        this.pluginPaths = List.copyOf(pluginPaths);
        this.allowedPluginSha256 = List.copyOf(allowedPluginSha256);
    }

    public Optional<ValidatedPipeline> validate(PipelineDefinition pipeline, Problems problems) {
        if (pipeline.version() != null) {
            try {
                io.audioflow.api.SemVer.parse(pipeline.version());
            } catch (IllegalArgumentException e) {
                problems.error(
                        SourcePosition.start(pipeline.file()),
                        "pipeline version: " + e.getMessage(),
                        "version: 1.0.0");
            }
        }
        Map<String, StageDefinition> byName = new LinkedHashMap<>();
        for (StageDefinition stage : pipeline.stages()) {
            if (stage.name() == null) continue;
            if (byName.containsKey(stage.name())) {
                problems.error(
                        stage.at(),
                        "duplicate stage name `"
                                + stage.name()
                                + "` (first defined at line "
                                + byName.get(stage.name()).at().line()
                                + ")",
                        "give each stage a unique name");
            } else {
                byName.put(stage.name(), stage);
            }
        }
        checkUids(byName.values(), problems);
        Map<String, LoadedPlugin> plugins = new LinkedHashMap<>();
        Set<String> badConfig = new HashSet<>();
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        Map<String, StageSpec> fallbacks = new LinkedHashMap<>();
        Map<String, StageSpec> shadows = new LinkedHashMap<>();
        for (StageDefinition stage : byName.values()) {
            resolve(stage, problems)
                    .ifPresent(
                            p -> {
                                plugins.put(stage.name(), p);
                                int errorsBefore = problems.errors().size();
                                configs.put(
                                        stage.name(),
                                        ConfigChecker.check(stage, p.plugin(), problems));
                                // Its plugin's format callbacks would read the bad values.
                                if (problems.errors().size() > errorsBefore)
                                    badConfig.add(stage.name());
                                resolveFallback(stage, p, problems)
                                        .ifPresent(f -> fallbacks.put(stage.name(), f));
                                resolveShadow(stage, p, configs.get(stage.name()), problems)
                                        .ifPresent(f -> shadows.put(stage.name(), f));
                            });
        }
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (StageDefinition stage : byName.values()) {
            for (Located<String> dep : stage.dependencies()) {
                if (!byName.containsKey(dep.value())) {
                    problems.error(
                            dep.at(),
                            "stage `"
                                    + stage.name()
                                    + "` depends on `"
                                    + dep.value()
                                    + "`, which is not defined",
                            Suggestions.closest(dep.value(), byName.keySet())
                                    .map(c -> "did you mean `" + c + "`?")
                                    .orElse(
                                            "stages defined: "
                                                    + String.join(", ", byName.keySet())));
                }
            }
            deps.put(stage.name(), stage.dependencyNames());
        }
        StageGraph graph = new StageGraph(deps);
        Optional<List<String>> order = graph.topologicalOrder();
        if (order.isEmpty()) {
            List<String> cycle = graph.findCycle().orElse(List.of());
            StageDefinition first =
                    byName.get(cycle.isEmpty() ? byName.keySet().iterator().next() : cycle.get(0));
            problems.error(
                    first.at(),
                    "the stages form a cycle: " + String.join(" -> ", cycle),
                    "remove one of these dependencies; data must flow one way");
            return Optional.empty();
        }
        if (plugins.size() != byName.size()) return Optional.empty();
        checkRoles(byName, plugins, graph, problems);
        new PluginDependencyChecker(registry).check(byName, plugins, graph, problems);
        checkShuffles(byName, graph, problems);
        Map<String, StreamFormat> formats =
                checkFormats(order.get(), byName, plugins, configs, badConfig, graph, problems);
        checkDecisionMetrics(byName, plugins, configs, problems);
        checkShadowDecisionMetrics(byName, plugins, shadows, problems);
        checkProducts(byName, plugins, configs, graph, problems);
        if (problems.hasErrors()) return Optional.empty();
        List<ResolvedStage> resolved = new ArrayList<>();
        for (String name : order.get()) {
            StageDefinition d = byName.get(name);
            LoadedPlugin p = plugins.get(name);
            StageSpec spec =
                    StageSpec.of(
                                    name,
                                    p.info().kind(),
                                    p.info().name(),
                                    p.info().version(),
                                    configs.get(name),
                                    policy(d.errorHandling()))
                            .withFallback(fallbacks.get(name))
                            .withShadow(shadows.get(name))
                            .withPluginPaths(pluginPaths)
                            .withAllowedPluginSha256(allowedPluginSha256);
            resolved.add(new ResolvedStage(d, p, spec, formats.get(name)));
        }
        return Optional.of(
                new ValidatedPipeline(
                        pipeline,
                        resolved,
                        graph,
                        ConfigDigest.sha256(pipeline, resolved),
                        problems.warnings()));
    }

    private Optional<LoadedPlugin> resolve(StageDefinition stage, Problems problems) {
        if (stage.processor() == null) return Optional.empty();
        List<LoadedPlugin> versions = registry.versionsOf(stage.processor());
        if (versions.isEmpty()) {
            List<PinnedOutJar> refused =
                    registry.pinnedOut().stream()
                            .filter(j -> j.mayHold(stage.processor()))
                            .toList();
            if (!refused.isEmpty()) {
                PinnedOutJar jar = refused.get(0);
                problems.error(
                        stage.processorAt(),
                        "processor `"
                                + stage.processor()
                                + "` of stage `"
                                + stage.name()
                                + "` is in plugin jar "
                                + jar.jar()
                                + " (sha256 "
                                + jar.sha256()
                                + "), which pinning refused: its digest is not in"
                                + " plugins.allowed_sha256",
                        "if you trust that jar, add its digest to plugins.allowed_sha256 (or"
                                + " PLUGIN_ALLOWED_SHA256): - "
                                + jar.sha256());
                return Optional.empty();
            }
            String available = String.join(", ", registry.names());
            String fix =
                    Suggestions.closest(stage.processor(), registry.names())
                                    .map(c -> "did you mean `" + c + "`? ")
                                    .orElse("")
                            + "available: "
                            + available
                            + " (see `audioflow plugins`)"
                            + (registry.pinnedOut().isEmpty()
                                    ? ""
                                    : "; pinning refused, unopened: "
                                            + String.join(
                                                    ", ",
                                                    registry.pinnedOut().stream()
                                                            .map(
                                                                    j ->
                                                                            j.jar()
                                                                                    + " (sha256 "
                                                                                    + j.sha256()
                                                                                    + ")")
                                                            .toList())
                                            + ": if the processor is in one, add its digest to"
                                            + " plugins.allowed_sha256");
            problems.error(
                    stage.processorAt(),
                    "unknown processor `" + stage.processor() + "` in stage `" + stage.name() + "`",
                    fix);
            return Optional.empty();
        }
        VersionConstraint constraint;
        try {
            constraint = VersionConstraint.parse(stage.versionConstraint());
        } catch (IllegalArgumentException e) {
            problems.error(
                    stage.processorAt(),
                    "bad version constraint `"
                            + stage.versionConstraint()
                            + "` in stage `"
                            + stage.name()
                            + "`: "
                            + e.getMessage(),
                    "write e.g. "
                            + stage.processor()
                            + "@^1.0 or "
                            + stage.processor()
                            + "@>=1.2 <2");
            return Optional.empty();
        }
        Optional<LoadedPlugin> found = registry.find(stage.processor(), constraint);
        if (found.isEmpty()) {
            problems.error(
                    stage.processorAt(),
                    "no installed version of `"
                            + stage.processor()
                            + "` satisfies `"
                            + constraint
                            + "` (stage `"
                            + stage.name()
                            + "`)",
                    "installed: "
                            + registry.describeVersions(stage.processor())
                            + "; relax the constraint or install a matching plugin");
        }
        return found;
    }

    /**
     * The stage's {@code fallback}, resolved like a stage's own processor: installed, a version
     * that satisfies its constraint, of the stage's kind. It runs with the keys of the stage's
     * config that it declares (the rest belong to the stage's own processor) over its own defaults.
     */
    /**
     * A stage's operator uid is {@code audioflow-stage-<uid or name>}; savepoints map state by it.
     * Two stages may not share one, and none may take the result assembler's (which pipelines
     * without a decision stage have had under that name since their first savepoint).
     */
    private static void checkUids(Iterable<StageDefinition> stages, Problems problems) {
        Map<String, StageDefinition> byUid = new LinkedHashMap<>();
        for (StageDefinition stage : stages) {
            String key = stage.uidKey();
            SourcePosition at = stage.uid() != null ? stage.uid().at() : stage.at();
            String what =
                    stage.uid() != null
                            ? "uid `" + key + "` of stage `" + stage.name() + "`"
                            : "stage name `" + key + "`";
            if (StageUids.RESERVED.contains(key)) {
                problems.error(
                        at,
                        what
                                + " is reserved: its operator uid `"
                                + StageUids.uid(key)
                                + "` belongs to audioflow's own result operator (reserved: "
                                + String.join(", ", StageUids.RESERVED)
                                + ")",
                        stage.uid() != null
                                ? "choose another uid"
                                : "rename the stage, e.g. name: " + key + "_stage");
                continue;
            }
            StageDefinition first = byUid.putIfAbsent(key, stage);
            if (first != null && stage.uid() != null) {
                problems.error(
                        at,
                        what
                                + " gives the same operator uid as stage `"
                                + first.name()
                                + "` (line "
                                + first.at().line()
                                + "): their state would mix",
                        "give each stage its own uid, or leave uid out to use the name");
            } else if (first != null) {
                problems.error(
                        at,
                        what
                                + " gives the same operator uid as the uid of stage `"
                                + first.name()
                                + "` (line "
                                + first.at().line()
                                + ")",
                        "rename one of them, or change that stage's uid");
            }
        }
    }

    private Optional<StageSpec> resolveFallback(
            StageDefinition stage, LoadedPlugin primary, Problems problems) {
        ErrorHandlingDefinition handling = stage.errorHandling();
        if (handling.fallback() == null) return Optional.empty();
        if (!"fallback".equals(handling.mode())) {
            problems.warning(
                    handling.at(),
                    "stage `"
                            + stage.name()
                            + "` names a fallback but its error_handling mode is `"
                            + handling.mode()
                            + "`, so the fallback is never used",
                    "set mode: fallback, or remove `fallback`");
            return Optional.empty();
        }
        ProcessorRef fallback = ProcessorRef.parse(handling.fallback());
        String name = fallback.name();
        String constraint = fallback.constraint();
        StageDefinition asStage =
                new StageDefinition(
                        stage.name(),
                        name,
                        constraint,
                        fallbackConfig(stage.config(), registry.versionsOf(name)),
                        stage.dependencies(),
                        stage.parallelism(),
                        handling,
                        stage.at(),
                        handling.fallbackAt(),
                        stage.configAt(),
                        stage.configPositions(),
                        stage.uid());
        Optional<LoadedPlugin> found =
                resolveOfKind(asStage, primary, "fallback", handling.fallbackAt(), problems);
        if (found.isEmpty()) return Optional.empty();
        LoadedPlugin p = found.get();
        if (p.info().name().equals(primary.info().name())
                && p.info().version().equals(primary.info().version())) {
            problems.warning(
                    handling.fallbackAt(),
                    "the fallback of stage `"
                            + stage.name()
                            + "` is the stage's own processor `"
                            + p.info().coordinates()
                            + "`; it would fail the same way",
                    "use mode: retry for transient faults, or name a different processor");
        }
        Map<String, Object> config = ConfigChecker.check(asStage, p.plugin(), problems);
        return Optional.of(
                StageSpec.of(
                        stage.name(),
                        p.info().kind(),
                        p.info().name(),
                        p.info().version(),
                        config,
                        ErrorPolicy.FAIL));
    }

    /**
     * The stage's {@code shadow}, resolved like its fallback: installed, a version that satisfies
     * its constraint, of the stage's kind, which must be an analyzer or the decision (a shadow of a
     * processor would need a shadow of everything below it). It runs with its own {@code config}
     * when it has one, else with the keys of the stage's config that it declares.
     */
    private Optional<StageSpec> resolveShadow(
            StageDefinition stage,
            LoadedPlugin primary,
            Map<String, Object> primaryConfig,
            Problems problems) {
        ShadowDefinition shadow = stage.shadow();
        if (shadow == null) return Optional.empty();
        StageKind kind = primary.info().kind();
        if (kind != StageKind.ANALYZER && kind != StageKind.DECISION) {
            problems.error(
                    shadow.at(),
                    "stage `"
                            + stage.name()
                            + "` runs "
                            + article(kind)
                            + " (`"
                            + primary.info().name()
                            + "`), and only analyzers and the decision can have a shadow",
                    "remove `shadow`; to compare "
                            + kind.label()
                            + "s, validate and analyze a second pipeline");
            return Optional.empty();
        }
        StageDefinition asStage =
                new StageDefinition(
                        stage.name(),
                        shadow.processor(),
                        shadow.versionConstraint(),
                        shadow.config() != null
                                ? shadow.config()
                                : fallbackConfig(
                                        stage.config(), registry.versionsOf(shadow.processor())),
                        stage.dependencies(),
                        stage.parallelism(),
                        stage.errorHandling(),
                        stage.at(),
                        shadow.at(),
                        stage.configAt(),
                        shadow.config() != null
                                ? shadow.configPositions()
                                : stage.configPositions(),
                        stage.uid());
        Optional<LoadedPlugin> found =
                resolveOfKind(asStage, primary, "shadow", shadow.at(), problems);
        if (found.isEmpty()) return Optional.empty();
        LoadedPlugin p = found.get();
        Map<String, Object> config = ConfigChecker.check(asStage, p.plugin(), problems);
        if (p.info().coordinates().equals(primary.info().coordinates())
                && config.equals(primaryConfig))
            problems.warning(
                    shadow.at(),
                    "the shadow of stage `"
                            + stage.name()
                            + "` is the stage's own processor with the same config; it reports"
                            + " what the stage does",
                    "name another version, or give the shadow a config: of its own");
        return Optional.of(
                StageSpec.of(
                        stage.name(),
                        kind,
                        p.info().name(),
                        p.info().version(),
                        config,
                        ErrorPolicy.FAIL));
    }

    /**
     * The plugin standing in for or beside a stage's own ({@code role}: fallback or shadow),
     * resolved as a stage's processor is, and of the stage's kind.
     */
    private Optional<LoadedPlugin> resolveOfKind(
            StageDefinition asStage,
            LoadedPlugin primary,
            String role,
            SourcePosition at,
            Problems problems) {
        Optional<LoadedPlugin> found = resolve(asStage, problems);
        if (found.isEmpty()) return Optional.empty();
        LoadedPlugin p = found.get();
        StageKind kind = primary.info().kind();
        if (p.info().kind() == kind) return found;
        problems.error(
                at,
                role
                        + " `"
                        + p.info().coordinates()
                        + "` of stage `"
                        + asStage.name()
                        + "` is "
                        + article(p.info().kind())
                        + ", but the stage's `"
                        + primary.info().name()
                        + "` is "
                        + article(kind),
                "choose a "
                        + role
                        + " of the same kind: "
                        + String.join(", ", registry.namesOfKind(kind)));
        return Optional.empty();
    }

    /** The stage's config keys that the fallback (any installed version) declares. */
    private static Map<String, Object> fallbackConfig(
            Map<String, Object> config, List<LoadedPlugin> fallbackVersions) {
        Set<String> declared = new HashSet<>();
        for (LoadedPlugin v : fallbackVersions)
            v.info().options().forEach(o -> declared.add(o.name()));
        Map<String, Object> kept = new LinkedHashMap<>();
        config.forEach(
                (k, v) -> {
                    if (declared.contains(k)) kept.put(k, v);
                });
        return kept;
    }

    private static String article(StageKind kind) {
        String k = kind.name().toLowerCase(Locale.ROOT);
        return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
    }

    private static ErrorPolicy policy(ErrorHandlingDefinition d) {
        return new ErrorPolicy(
                ErrorPolicy.Mode.valueOf(d.mode().toUpperCase(Locale.ROOT)),
                d.attempts(),
                d.backoffMs(),
                d.fallback());
    }

    private void checkRoles(
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            StageGraph graph,
            Problems problems) {
        long decoders = 0;
        long decisions = 0;
        for (StageDefinition stage : stages.values()) {
            StageKind kind = plugins.get(stage.name()).info().kind();
            List<String> up = graph.upstreamOf(stage.name());
            if (up.size() != stage.dependencies().size()) {
                continue; // an undefined dependency was reported already; its role is unknown
            }
            switch (kind) {
                case DECODER -> {
                    decoders++;
                    if (!up.isEmpty())
                        problems.error(
                                stage.at(),
                                "decoder stage `"
                                        + stage.name()
                                        + "` cannot have dependencies: it reads the pipeline's input",
                                "remove its `dependencies`");
                }
                case PROCESSOR, ANALYZER -> {
                    if (up.size() != 1) {
                        problems.error(
                                stage.at(),
                                kind.label()
                                        + " stage `"
                                        + stage.name()
                                        + "` needs exactly one audio dependency, has "
                                        + up.size(),
                                up.isEmpty()
                                        ? "add `dependencies: [decode]` (or the processor it should read from)"
                                        : "split it into one stage per input");
                    } else if (!producesAudio(plugins.get(up.get(0)))) {
                        problems.error(
                                stage.at(),
                                kind.label()
                                        + " stage `"
                                        + stage.name()
                                        + "` depends on `"
                                        + up.get(0)
                                        + "`, which produces metrics, not audio",
                                "depend on the decoder, a processor, or an analyzer that passes"
                                        + " audio on (one with products, such as vad)");
                    }
                }
                case DECISION -> {
                    decisions++;
                    for (String u : up) {
                        if (plugins.get(u).info().kind() != StageKind.ANALYZER) {
                            problems.error(
                                    stage.at(),
                                    "decision stage `"
                                            + stage.name()
                                            + "` depends on `"
                                            + u
                                            + "`, which is not an analyzer",
                                    "list only analyzer stages under its `dependencies`");
                        }
                    }
                    if (!graph.downstreamOf(stage.name()).isEmpty()) {
                        problems.error(
                                stage.at(),
                                "decision stage `"
                                        + stage.name()
                                        + "` must be last, but "
                                        + graph.downstreamOf(stage.name())
                                        + " depend on it",
                                "remove it from their dependencies");
                    }
                }
            }
        }
        if (decoders != 1 && !stages.isEmpty()) {
            StageDefinition first = stages.values().iterator().next();
            problems.error(
                    first.at(),
                    "a pipeline needs exactly one decoder stage, found " + decoders,
                    "start the stages with `- name: decode` / `processor: decode`");
        }
        if (decisions > 1) {
            problems.error(
                    stages.values().iterator().next().at(),
                    "a pipeline can have at most one decision stage, found " + decisions,
                    "merge their rules into one stage");
        }
    }

    /**
     * Audio is shuffled once, by recording, before the decoder. A stage whose parallelism differs
     * from its upstream's cannot reuse that partitioning and costs a second network shuffle of the
     * audio: allowed, but worth a warning.
     */
    private static void checkShuffles(
            Map<String, StageDefinition> stages, StageGraph graph, Problems problems) {
        for (StageDefinition stage : stages.values()) {
            for (String up : graph.upstreamOf(stage.name())) {
                Integer mine = stage.parallelism();
                Integer theirs = stages.get(up).parallelism();
                if (!java.util.Objects.equals(mine, theirs)) {
                    problems.warning(
                            stage.at(),
                            "stage `"
                                    + stage.name()
                                    + "` has parallelism "
                                    + (mine == null ? "default" : mine)
                                    + " but its input `"
                                    + up
                                    + "` has "
                                    + (theirs == null ? "default" : theirs)
                                    + ": its input is shuffled over the network again",
                            "give both stages the same parallelism (or leave both unset)");
                }
            }
        }
    }

    /** Decoders and processors make audio; an analyzer with products passes its input on. */
    private static boolean producesAudio(LoadedPlugin plugin) {
        return plugin.info().kind() == StageKind.DECODER
                || plugin.info().kind() == StageKind.PROCESSOR
                || (plugin.info().kind() == StageKind.ANALYZER
                        && !plugin.info().products().isEmpty());
    }

    /**
     * Every product a stage consumes must come with its audio: from the analyzer it depends on, or
     * from one further up through a chain of such analyzers (each passes on what it got). A
     * processor or decoder in between makes new audio, without products.
     */
    private void checkProducts(
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            Map<String, Map<String, Object>> configs,
            StageGraph graph,
            Problems problems) {
        plugins.forEach(
                (name, p) -> {
                    if (configs.get(name) == null) return;
                    List<String> needed;
                    try {
                        needed = p.plugin().consumes(StageConfig.of(configs.get(name)));
                    } catch (RuntimeException e) {
                        return; // its config was reported already
                    }
                    if (needed.isEmpty()) return;
                    Set<String> available = new HashSet<>();
                    List<String> up = graph.upstreamOf(name);
                    while (up.size() == 1 && plugins.containsKey(up.get(0))) {
                        LoadedPlugin u = plugins.get(up.get(0));
                        if (u.info().kind() != StageKind.ANALYZER) break;
                        available.addAll(u.info().products());
                        up = graph.upstreamOf(up.get(0));
                    }
                    for (String product : needed) {
                        if (available.contains(product)) continue;
                        List<String> providers =
                                registry.plugins().stream()
                                        .filter(l -> l.info().products().contains(product))
                                        .map(l -> l.info().name())
                                        .distinct()
                                        .toList();
                        StageDefinition d = stages.get(name);
                        problems.error(
                                d.dependencies().isEmpty() ? d.at() : d.dependencies().get(0).at(),
                                "stage `"
                                        + name
                                        + "` ("
                                        + p.info().name()
                                        + ") needs the `"
                                        + product
                                        + "` frames of a stage it depends on, and none provides"
                                        + " them",
                                providers.isEmpty()
                                        ? "no installed plugin provides `" + product + "`"
                                        : "depend on a stage running "
                                                + String.join(" or ", providers)
                                                + " that reads the same audio (e.g. `dependencies:"
                                                + " [vad]` with vad depending on this stage's"
                                                + " current input)");
                    }
                });
    }

    private Map<String, StreamFormat> checkFormats(
            List<String> order,
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            Map<String, Map<String, Object>> configs,
            Set<String> badConfig,
            StageGraph graph,
            Problems problems) {
        Map<String, StreamFormat> out = new LinkedHashMap<>();
        for (String name : order) {
            LoadedPlugin plugin = plugins.get(name);
            StageConfig config = StageConfig.of(configs.get(name));
            if (badConfig.contains(name)) {
                // Already reported; what it would produce is unknown, so later stages are not
                // blamed for it.
                out.put(name, StreamFormat.VARIES);
                continue;
            }
            StageDefinition stage = stages.get(name);
            List<String> up = graph.upstreamOf(name);
            StreamFormat input =
                    up.size() == 1
                            ? out.getOrDefault(up.get(0), StreamFormat.VARIES)
                            : StreamFormat.VARIES;
            FormatRequirement needs =
                    fromPlugin(
                            stage,
                            plugin,
                            "the audio format it accepts",
                            () ->
                                    plugin.plugin() instanceof AudioProcessor p
                                            ? p.accepts(config)
                                            : plugin.plugin() instanceof AudioAnalyzer a
                                                    ? a.accepts(config)
                                                    : FormatRequirement.ANY,
                            FormatRequirement.ANY,
                            problems);
            if (up.size() == 1
                    && producesAudio(plugins.get(up.get(0)))
                    && !input.satisfies(needs)) {
                StageDefinition d = stages.get(name);
                String rate =
                        needs.sampleRates().isEmpty()
                                ? "16000"
                                : String.valueOf(needs.sampleRates().get(0));
                String channels = needs.channels() == 0 ? "0" : String.valueOf(needs.channels());
                problems.error(
                        d.dependencies().isEmpty() ? d.at() : d.dependencies().get(0).at(),
                        "format mismatch: stage `"
                                + name
                                + "` needs "
                                + needs
                                + " but `"
                                + up.get(0)
                                + "` produces "
                                + input,
                        "put a resample stage between them: `processor: resample` with `config: {sample_rate: "
                                + rate
                                + ", channels: "
                                + channels
                                + "}`");
            }
            out.put(
                    name,
                    fromPlugin(
                            stage,
                            plugin,
                            "the audio format it produces",
                            () ->
                                    plugin.plugin() instanceof AudioProcessor p
                                            ? p.outputFormat(input, config)
                                            : input,
                            StreamFormat.VARIES,
                            problems));
        }
        return out;
    }

    /**
     * A plugin callback's answer, or {@code otherwise} after reporting at the stage's line that it
     * threw: a plugin's bug or a value it did not expect must not end validation in a stack trace.
     */
    private static <T> T fromPlugin(
            StageDefinition stage,
            LoadedPlugin plugin,
            String what,
            java.util.function.Supplier<T> call,
            T otherwise,
            Problems problems) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            problems.error(
                    stage.processorAt(),
                    "plugin `"
                            + plugin.info().coordinates()
                            + "` of stage `"
                            + stage.name()
                            + "` failed to say "
                            + what
                            + ": "
                            + e,
                    "check the stage's config values against `audioflow plugins --verbose`");
            return otherwise;
        }
    }

    private void checkDecisionMetrics(
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            Map<String, Map<String, Object>> configs,
            Problems problems) {
        Map<String, Set<String>> produced = new LinkedHashMap<>();
        plugins.forEach(
                (stage, p) -> {
                    Set<String> names = new HashSet<>();
                    for (MetricDefinition m : p.info().metrics()) names.add(m.name());
                    if (p.info().kind() == StageKind.ANALYZER) produced.put(stage, names);
                });
        plugins.forEach(
                (stage, p) -> {
                    if (!(p.plugin() instanceof DecisionEngine engine)) return;
                    StageDefinition d = stages.get(stage);
                    List<String> referenced;
                    try {
                        referenced = engine.referencedMetrics(StageConfig.of(configs.get(stage)));
                    } catch (RuntimeException e) {
                        return; // already reported by the engine's own config checks
                    }
                    for (String key : referenced)
                        reportUnproduced(
                                key, produced, plugins, d.configPosition("rules"), problems);
                });
    }

    /**
     * A shadow decision's rules may refer to what the live analyzers produce and to what their
     * shadows do (the shadow verdict sees both), and to nothing else.
     */
    private void checkShadowDecisionMetrics(
            Map<String, StageDefinition> stages,
            Map<String, LoadedPlugin> plugins,
            Map<String, StageSpec> shadows,
            Problems problems) {
        Map<String, Set<String>> produced = new LinkedHashMap<>();
        plugins.forEach(
                (stage, p) -> {
                    if (p.info().kind() != StageKind.ANALYZER) return;
                    Set<String> names = new HashSet<>();
                    for (MetricDefinition m : p.info().metrics()) names.add(m.name());
                    StageSpec shadow = shadows.get(stage);
                    if (shadow != null)
                        for (MetricDefinition m :
                                registry.require(shadow.plugin(), shadow.semVer()).info().metrics())
                            names.add(m.name());
                    produced.put(stage, names);
                });
        shadows.forEach(
                (stage, shadow) -> {
                    if (shadow.kind() != StageKind.DECISION) return;
                    if (!(registry.require(shadow.plugin(), shadow.semVer()).plugin()
                            instanceof DecisionEngine engine)) return;
                    List<String> referenced;
                    try {
                        referenced = engine.referencedMetrics(StageConfig.of(shadow.config()));
                    } catch (RuntimeException e) {
                        return; // already reported by the engine's own config checks
                    }
                    ShadowDefinition written = stages.get(stage).shadow();
                    SourcePosition at =
                            written.configPositions().getOrDefault("rules", written.at());
                    for (String key : referenced)
                        reportUnproduced(key, produced, plugins, at, problems);
                });
    }

    private static void reportUnproduced(
            String key,
            Map<String, Set<String>> produced,
            Map<String, LoadedPlugin> plugins,
            SourcePosition at,
            Problems problems) {
        String s = key.substring(0, key.indexOf('.'));
        String metric = key.substring(key.indexOf('.') + 1);
        if (!produced.containsKey(s)) {
            problems.error(
                    at,
                    "decision rule refers to `"
                            + key
                            + "` but there is no analyzer stage `"
                            + s
                            + "`",
                    "analyzer stages: " + String.join(", ", produced.keySet()));
        } else if (!produced.get(s).contains(metric)) {
            problems.error(
                    at,
                    "decision rule refers to `"
                            + key
                            + "` but stage `"
                            + s
                            + "` ("
                            + plugins.get(s).info().coordinates()
                            + ") does not produce `"
                            + metric
                            + "`",
                    Suggestions.allowedKeys(metric, produced.get(s))
                            .replace("allowed", "it produces"));
        }
    }
}
