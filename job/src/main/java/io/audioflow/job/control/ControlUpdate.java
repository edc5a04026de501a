package io.audioflow.job.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One message of the control topic: a change to the running pipeline. The JSON contract (see
 * README, "Changing a running pipeline"):
 *
 * <pre>
 * {"id": "…", "action": "set",   "stage": "decision", "values": {"rules.noisy.below": 15}}
 * {"id": "…", "action": "swap",  "stage": "pitch", "processor": "pitch@^1.0", "values": {…}}
 * {"id": "…", "action": "shadow", "stage": "pitch", "processor": "pitch@^1.2", "values": {…}}
 * {"id": "…", "action": "unshadow", "stage": "pitch"}
 * {"id": "…", "action": "reset"}
 * </pre>
 *
 * Optional {@code "pipeline"} names the pipeline the update is for (other jobs reading the same
 * topic ignore it); optional {@code "clear_config": true} on a swap drops the stage's old config.
 *
 * @param values config paths (dots between map keys, list indexes or rule names) to new values
 */
public record ControlUpdate(
        String id,
        String pipeline,
        Action action,
        String stage,
        String processor,
        Map<String, Object> values,
        boolean clearConfig) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Action {
        /** Change config values of a stage. */
        SET,
        /** Run a stage with another installed processor or version. */
        SWAP,
        /** Back to the submitted pipeline. */
        RESET,
        /** Run another processor beside a stage, for comparison ({@code values}: its config). */
        SHADOW,
        /** Stop a stage's shadow. */
        UNSHADOW;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ControlUpdate {
        values = new LinkedHashMap<>(values == null ? Map.of() : values);
    }

    public static ControlUpdate set(String id, String stage, Map<String, Object> values) {
        return new ControlUpdate(id, null, Action.SET, stage, null, values, false);
    }

    public static ControlUpdate swap(
            String id, String stage, String processor, Map<String, Object> values) {
        return new ControlUpdate(id, null, Action.SWAP, stage, processor, values, false);
    }

    /** A message that is not an update the job understands; the reason says what to send. */
    public static final class MalformedUpdate extends Exception {
        public MalformedUpdate(String message) {
            super(message);
        }
    }

    public static ControlUpdate parse(String json) throws MalformedUpdate {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedUpdate("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject())
            throw new MalformedUpdate("an update is a JSON object with `action` and `stage`");
        String id = text(root, "id");
        String actionName = text(root, "action");
        if (actionName == null)
            throw new MalformedUpdate(
                    "missing `action`; one of set, swap, shadow, unshadow, reset");
        Action action;
        try {
            action = Action.valueOf(actionName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedUpdate(
                    "unknown action `"
                            + actionName
                            + "`; one of set, swap, shadow, unshadow, reset");
        }
        String stage = text(root, "stage");
        if (action != Action.RESET && stage == null)
            throw new MalformedUpdate("missing `stage`: the stage to " + action.label());
        String processor = text(root, "processor");
        if ((action == Action.SWAP || action == Action.SHADOW) && processor == null)
            throw new MalformedUpdate(
                    "missing `processor` (NAME or NAME@VERSION) to " + action.label());
        JsonNode values = root.get("values");
        if (values != null && !values.isNull() && !values.isObject())
            throw new MalformedUpdate("`values` is an object of config paths to values");
        if (action == Action.SET && (values == null || values.isEmpty()))
            throw new MalformedUpdate("`set` needs `values`, e.g. {\"rules.noisy.below\": 15}");
        Map<String, Object> parsed = new LinkedHashMap<>();
        if (values != null && values.isObject())
            values.fields()
                    .forEachRemaining(
                            e ->
                                    parsed.put(
                                            e.getKey(),
                                            JSON.convertValue(e.getValue(), Object.class)));
        return new ControlUpdate(
                id,
                text(root, "pipeline"),
                action,
                stage,
                processor,
                parsed,
                root.path("clear_config").asBoolean(false));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (id != null) root.put("id", id);
        if (pipeline != null) root.put("pipeline", pipeline);
        root.put("action", action.label());
        if (stage != null) root.put("stage", stage);
        if (processor != null) root.put("processor", processor);
        if (!values.isEmpty()) root.set("values", JSON.valueToTree(values));
        if (clearConfig) root.put("clear_config", true);
        return root.toString();
    }

    /** A one-line description for logs and acknowledgements. */
    public String describe() {
        return switch (action) {
            case SET -> "set " + stage + " " + values;
            case SWAP ->
                    "swap " + stage + " to " + processor + (values.isEmpty() ? "" : " " + values);
            case RESET -> "reset to the submitted pipeline";
            case SHADOW ->
                    "shadow "
                            + stage
                            + " with "
                            + processor
                            + (values.isEmpty() ? "" : " " + values);
            case UNSHADOW -> "unshadow " + stage;
        };
    }
}
