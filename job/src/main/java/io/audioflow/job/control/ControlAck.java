package io.audioflow.job.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's answer to one control update, on the control-results topic: accepted with the
 * configuration version recordings starting from now run under, or rejected with every problem and
 * its fix (the running pipeline is then unchanged).
 *
 * @param configVersion the version in effect after this update (unchanged when rejected)
 * @param problems errors when rejected, warnings when accepted; each "message" or "message\nfix"
 */
public record ControlAck(
        String id,
        String pipeline,
        Status status,
        String update,
        long configVersion,
        String configSha256,
        List<String> problems,
        long timestamp) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Status {
        ACCEPTED,
        REJECTED
    }

    public ControlAck {
        problems = List.copyOf(problems);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("pipeline", pipeline);
        root.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        root.put("update", update);
        root.put("config_version", configVersion);
        root.put("config_sha256", configSha256);
        ArrayNode list = root.putArray(status == Status.ACCEPTED ? "warnings" : "errors");
        for (String p : problems) {
            ObjectNode n = list.addObject();
            int fix = p.indexOf('\n');
            n.put("message", fix < 0 ? p : p.substring(0, fix));
            if (fix >= 0) n.put("fix", p.substring(fix + 1));
        }
        root.put("timestamp", timestamp);
        return root.toString();
    }

    public static ControlAck parse(String json) throws JsonProcessingException {
        JsonNode root = JSON.readTree(json);
        Status status =
                Status.valueOf(root.path("status").asText().toUpperCase(java.util.Locale.ROOT));
        List<String> problems = new ArrayList<>();
        for (JsonNode n : root.path(status == Status.ACCEPTED ? "warnings" : "errors")) {
            problems.add(
                    n.path("message").asText()
                            + (n.has("fix") ? "\n" + n.path("fix").asText() : ""));
        }
        return new ControlAck(
                root.path("id").asText(null),
                root.path("pipeline").asText(null),
                status,
                root.path("update").asText(),
                root.path("config_version").asLong(),
                root.path("config_sha256").asText(null),
                problems,
                root.path("timestamp").asLong());
    }
}
