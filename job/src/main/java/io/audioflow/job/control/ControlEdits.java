package io.audioflow.job.control;

import io.audioflow.pipeline.definition.PipelineDefinition;
import io.audioflow.pipeline.definition.ProcessorRef;
import io.audioflow.pipeline.definition.ShadowDefinition;
import io.audioflow.pipeline.definition.StageDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies control updates to the submitted pipeline definition, giving the definition the validator
 * then checks exactly as it checks a file. Only what an update names changes: a stage's config
 * values or its processor; the graph, parallelism and error handling stay as submitted.
 */
public final class ControlEdits {

    private ControlEdits() {}

    /** An update that cannot be applied to this pipeline; the message says what to send instead. */
    public static final class InvalidEdit extends Exception {
        InvalidEdit(String message) {
            super(message);
        }
    }

    public static PipelineDefinition apply(PipelineDefinition base, List<ControlUpdate> updates)
            throws InvalidEdit {
        PipelineDefinition edited = base;
        for (ControlUpdate update : updates) {
            edited = update.action() == ControlUpdate.Action.RESET ? base : apply(edited, update);
        }
        return edited;
    }

    private static PipelineDefinition apply(PipelineDefinition pipeline, ControlUpdate update)
            throws InvalidEdit {
        List<StageDefinition> stages = new ArrayList<>();
        boolean found = false;
        for (StageDefinition stage : pipeline.stages()) {
            if (stage.name() != null && stage.name().equals(update.stage())) {
                stages.add(edit(stage, update));
                found = true;
            } else {
                stages.add(stage);
            }
        }
        if (!found)
            throw new InvalidEdit(
                    "no stage `"
                            + update.stage()
                            + "` in pipeline `"
                            + pipeline.name()
                            + "`; stages: "
                            + String.join(
                                    ", ",
                                    pipeline.stages().stream()
                                            .map(StageDefinition::name)
                                            .toList()));
        return new PipelineDefinition(
                pipeline.name(),
                pipeline.version(),
                stages,
                pipeline.kafka(),
                pipeline.checkpointing(),
                pipeline.pluginPaths(),
                pipeline.allowedPluginSha256(),
                pipeline.file(),
                pipeline.limits(),
                pipeline.restarts());
    }

    private static StageDefinition edit(StageDefinition stage, ControlUpdate update)
            throws InvalidEdit {
        if (update.action() == ControlUpdate.Action.SHADOW
                || update.action() == ControlUpdate.Action.UNSHADOW)
            return withShadow(stage, update);
        ProcessorRef processor = new ProcessorRef(stage.processor(), stage.versionConstraint());
        Map<String, Object> config =
                update.clearConfig() ? new LinkedHashMap<>() : copyMap(stage.config());
        if (update.action() == ControlUpdate.Action.SWAP) {
            processor = ProcessorRef.parse(update.processor());
            if (processor.name().isEmpty())
                throw new InvalidEdit("swap needs a processor name, e.g. `pitch@^1.0`");
        }
        for (Map.Entry<String, Object> value : update.values().entrySet()) {
            set(config, value.getKey(), copy(value.getValue()), stage.name());
        }
        return stage.withProcessor(processor, config);
    }

    /** The stage with a shadow added or replaced ({@code values} its config), or removed. */
    private static StageDefinition withShadow(StageDefinition stage, ControlUpdate update)
            throws InvalidEdit {
        ShadowDefinition shadow = null;
        if (update.action() == ControlUpdate.Action.SHADOW) {
            ProcessorRef processor = ProcessorRef.parse(update.processor());
            if (processor.name().isEmpty())
                throw new InvalidEdit("shadow needs a processor name, e.g. `pitch@^1.2`");
            // With values: the stage's config with those changes; without: the stage's own.
            Map<String, Object> config = null;
            if (!update.values().isEmpty()) {
                config = copyMap(stage.config());
                for (Map.Entry<String, Object> value : update.values().entrySet())
                    set(config, value.getKey(), copy(value.getValue()), stage.name());
            }
            shadow =
                    new ShadowDefinition(
                            processor.name(),
                            processor.constraint(),
                            config,
                            stage.processorAt(),
                            Map.of());
        } else if (stage.shadow() == null) {
            throw new InvalidEdit("stage `" + stage.name() + "` has no shadow to stop");
        }
        return stage.withShadow(shadow);
    }

    /**
     * Sets {@code path} (keys joined by dots) in {@code config}. In a list, a segment is an index
     * or the {@code name} of an element, so {@code rules.noisy.below} reaches the rule named noisy.
     */
    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> config, String path, Object value, String stage)
            throws InvalidEdit {
        String[] segments = path.split("\\.", -1);
        Object container = config;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty())
                throw new InvalidEdit("config path `" + path + "` has an empty segment");
            boolean lastSegment = i == segments.length - 1;
            String where = "`" + String.join(".", List.of(segments).subList(0, i)) + "`";
            if (container instanceof Map<?, ?> map) {
                Map<String, Object> m = (Map<String, Object>) map;
                if (lastSegment) {
                    m.put(segment, value);
                    return;
                }
                Object child = m.get(segment);
                if (child == null) {
                    child = new LinkedHashMap<String, Object>();
                    m.put(segment, child);
                }
                container = child;
            } else if (container instanceof List<?> list) {
                List<Object> l = (List<Object>) list;
                int index = indexIn(l, segment, where, stage);
                if (lastSegment) {
                    l.set(index, value);
                    return;
                }
                container = l.get(index);
            } else {
                throw new InvalidEdit(
                        "stage `"
                                + stage
                                + "` config "
                                + where
                                + " is a value, not a map or list: `"
                                + path
                                + "` cannot go inside it");
            }
        }
    }

    private static int indexIn(List<Object> list, String segment, String where, String stage)
            throws InvalidEdit {
        if (segment.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(segment);
            if (index >= list.size())
                throw new InvalidEdit(
                        "stage `"
                                + stage
                                + "` config "
                                + where
                                + " has "
                                + list.size()
                                + " entries; index "
                                + index
                                + " is past the end");
            return index;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> m && m.get("name") != null) {
                String name = String.valueOf(m.get("name"));
                if (name.equals(segment)) return i;
                names.add(name);
            }
        }
        throw new InvalidEdit(
                "stage `"
                        + stage
                        + "` config "
                        + where
                        + " has no entry named `"
                        + segment
                        + "`"
                        + (names.isEmpty()
                                ? "; address its entries by index"
                                : "; names: " + String.join(", ", names)));
    }

    /** Parsed YAML may be immutable; edits work on a mutable deep copy. */
    private static Map<String, Object> copyMap(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (map != null) map.forEach((k, v) -> copy.put(k, copy(v)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> m) return copyMap((Map<String, Object>) m);
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            for (Object o : l) copy.add(copy(o));
            return copy;
        }
        return value;
    }
}
