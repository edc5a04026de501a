package io.audioflow.job.plan;

import io.audioflow.api.MetricDefinition;
import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.api.VersionConstraint;
import io.audioflow.job.kafka.KafkaSettings;
import io.audioflow.job.plan.JobOperators.Operator;
import io.audioflow.job.plan.SavepointOperators.Stateful;
import io.audioflow.pipeline.definition.PipelineDefinition.KafkaDefinition;
import io.audioflow.pipeline.definition.ResolvedStage;
import io.audioflow.pipeline.definition.StageUids;
import io.audioflow.pipeline.definition.ValidatedPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Compares two pipelines (and optionally a savepoint of the first) into a {@link PipelinePlan}. */
public final class Planner {

    private final ValidatedPipeline oldPipeline;
    private final ValidatedPipeline newPipeline;
    private final UnaryOperator<KafkaSettings> started;

    public Planner(ValidatedPipeline oldPipeline, ValidatedPipeline newPipeline) {
        this(oldPipeline, newPipeline, UnaryOperator.identity());
    }

    /** {@code started}: the topic flags both jobs run with (see {@link JobOperators#of}). */
    public Planner(
            ValidatedPipeline oldPipeline,
            ValidatedPipeline newPipeline,
            UnaryOperator<KafkaSettings> started) {
        this.oldPipeline = oldPipeline;
        this.newPipeline = newPipeline;
        this.started = started;
    }

    /** The plan against the old pipeline's operators, any of which may hold state. */
    public PipelinePlan plan() {
        JobOperators before = JobOperators.of(oldPipeline, started);
        JobOperators after = JobOperators.of(newPipeline, started);
        List<String> dropped = new ArrayList<>();
        List<String> stateDropped = new ArrayList<>();
        for (Operator op : before.byUid().values())
            if (!after.byUid().containsKey(op.uid())) {
                dropped.add(describe(op));
                stateDropped.add(describe(op) + ": " + whatToDo(op));
            }
        return plan(before, after, dropped, stateDropped, null);
    }

    /** The plan against what {@code savepoint} actually holds. */
    public PipelinePlan plan(String savepoint, List<Stateful> inSavepoint) {
        JobOperators before = JobOperators.of(oldPipeline, started);
        JobOperators after = JobOperators.of(newPipeline, started);
        List<String> dropped = new ArrayList<>();
        List<String> stateDropped = new ArrayList<>();
        for (Stateful state : inSavepoint) {
            if (after.byUid().keySet().stream().anyMatch(state::belongsTo)) continue;
            Operator known =
                    before.byUid().values().stream()
                            .filter(o -> state.belongsTo(o.uid()))
                            .findFirst()
                            .orElse(null);
            String what =
                    known != null
                            ? describe(known)
                            : state.uid().orElse("operator " + state.operatorId());
            dropped.add(what);
            stateDropped.add(
                    what
                            + " holds "
                            + state.bytes()
                            + " bytes of state in the savepoint and the new pipeline has no"
                            + " operator for it"
                            + (known != null ? "; " + whatToDo(known) : ""));
        }
        return plan(before, after, dropped, stateDropped, savepoint);
    }

    private PipelinePlan plan(
            JobOperators before,
            JobOperators after,
            List<String> dropped,
            List<String> stateDropped,
            String savepoint) {
        List<String> kept = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> incompatible = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (Operator op : after.byUid().values()) {
            Operator old = before.byUid().get(op.uid());
            if (old == null) {
                added.add(describe(op));
                continue;
            }
            kept.add(describe(op));
            if (old.stage() != null && op.stage() != null)
                compareStages(op.uid(), old.stage(), op.stage(), incompatible, versions);
        }
        return new PipelinePlan(
                identity(oldPipeline),
                identity(newPipeline),
                savepoint,
                kept,
                added,
                dropped,
                stateDropped,
                incompatible,
                versions,
                new PipelinePlan.Contract(
                        difference(metrics(newPipeline), metrics(oldPipeline)),
                        difference(metrics(oldPipeline), metrics(newPipeline)),
                        ruleChanges(),
                        topicChanges()));
    }

    private static void compareStages(
            String uid,
            ResolvedStage old,
            ResolvedStage now,
            List<String> incompatible,
            List<String> versions) {
        var was = old.spec();
        var is = now.spec();
        String where = "stage `" + now.name() + "` (uid " + uid + ")";
        if (was.kind() != is.kind()) {
            incompatible.add(
                    where
                            + " was a "
                            + was.kind().label()
                            + " ("
                            + was.plugin()
                            + ") and is now a "
                            + is.kind().label()
                            + " ("
                            + is.plugin()
                            + "): its state has other names and types; give the new stage a"
                            + " uid of its own and restore with --allow-non-restored-state");
            return;
        }
        // A decision keeps no session of its plugin's: only its results-in-waiting.
        if (is.kind() == StageKind.DECISION) return;
        if (!was.plugin().equals(is.plugin())) {
            incompatible.add(
                    where
                            + " runs "
                            + is.plugin()
                            + "@"
                            + is.version()
                            + " where the savepoint's sessions are "
                            + was.plugin()
                            + "@"
                            + was.version()
                            + "'s, which it cannot read; give the new stage a uid of its own and"
                            + " restore with --allow-non-restored-state (recordings in flight"
                            + " lose that stage)");
            return;
        }
        if (was.version().equals(is.version())) return;
        VersionConstraint reads = now.plugin().plugin().restoresStateOf();
        boolean compatible = reads.matches(SemVer.parse(was.version()));
        String line =
                "`"
                        + now.name()
                        + "`: "
                        + was.plugin()
                        + "@"
                        + was.version()
                        + " -> "
                        + is.version()
                        + (compatible
                                ? " (restores the state of " + reads + ")"
                                : " (declares it restores only " + reads + ")");
        versions.add(line);
        if (!compatible)
            incompatible.add(
                    where
                            + ": "
                            + is.plugin()
                            + "@"
                            + is.version()
                            + " does not read the sessions "
                            + was.version()
                            + " wrote (it restores "
                            + reads
                            + "); drain open recordings first, or give the stage a new uid and"
                            + " restore with --allow-non-restored-state");
    }

    private static String describe(Operator op) {
        return op.uid() + " (" + op.name() + ")";
    }

    private static String whatToDo(Operator op) {
        if (op.stage() == null || !op.uid().startsWith(StageUids.PREFIX))
            return "its state would be dropped; restore with --allow-non-restored-state";
        return "its state would be dropped; restore with --allow-non-restored-state, or keep"
                + " it by giving the stage that replaces it `uid: "
                + op.uid().substring(StageUids.PREFIX.length())
                + "`";
    }

    private static String identity(ValidatedPipeline p) {
        return p.definition().name() + " " + p.definition().version();
    }

    private static TreeSet<String> metrics(ValidatedPipeline p) {
        TreeSet<String> keys = new TreeSet<>();
        for (ResolvedStage s : p.stages())
            if (s.spec().kind() == StageKind.ANALYZER)
                for (MetricDefinition m : s.plugin().info().metrics())
                    keys.add(s.name() + "." + m.name());
        return keys;
    }

    private static List<String> difference(TreeSet<String> a, TreeSet<String> b) {
        TreeSet<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return List.copyOf(d);
    }

    private List<String> ruleChanges() {
        Map<String, Object> before = rules(oldPipeline);
        Map<String, Object> after = rules(newPipeline);
        List<String> changes = new ArrayList<>();
        for (var e : after.entrySet()) {
            Object was = before.get(e.getKey());
            if (was == null) changes.add("added `" + e.getKey() + "`: " + e.getValue());
            else if (!was.equals(e.getValue()))
                changes.add("changed `" + e.getKey() + "`: " + was + " -> " + e.getValue());
        }
        for (var e : before.entrySet())
            if (!after.containsKey(e.getKey()))
                changes.add("removed `" + e.getKey() + "`: " + e.getValue());
        return changes;
    }

    /** The decision's rules by name (a rule without one by its position). */
    private static Map<String, Object> rules(ValidatedPipeline p) {
        Map<String, Object> byName = new LinkedHashMap<>();
        p.decision()
                .ifPresent(
                        d -> {
                            Object rules = d.spec().config().get("rules");
                            if (!(rules instanceof List<?> list)) return;
                            for (int i = 0; i < list.size(); i++) {
                                Object rule = list.get(i);
                                Object name = rule instanceof Map<?, ?> m ? m.get("name") : null;
                                byName.put(name != null ? name.toString() : "#" + (i + 1), rule);
                            }
                        });
        return byName;
    }

    private List<String> topicChanges() {
        KafkaDefinition a = oldPipeline.definition().kafka();
        KafkaDefinition b = newPipeline.definition().kafka();
        List<String> changes = new ArrayList<>();
        topic(changes, "input", a.inputTopic(), b.inputTopic());
        topic(changes, "results", a.resultsTopic(), b.resultsTopic());
        topic(changes, "dead letters", a.dlqTopic(), b.dlqTopic());
        topic(changes, "control", a.controlTopic(), b.controlTopic());
        topic(changes, "control results", a.controlResultsTopic(), b.controlResultsTopic());
        topic(changes, "monitor", a.monitorTopic(), b.monitorTopic());
        return changes;
    }

    private static void topic(List<String> changes, String role, String was, String is) {
        if (!Objects.equals(was, is)) changes.add(role + ": " + was + " -> " + is);
    }
}
