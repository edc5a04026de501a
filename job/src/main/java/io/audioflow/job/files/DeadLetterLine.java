package io.audioflow.job.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.audioflow.operators.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A dead letter as one JSON line, for the file job's output: what failed, where and why, with the
 * same names as the dead-letter topic's headers (the audio itself stays in the input file).
 */
final class DeadLetterLine implements MapFunction<DeadLetter, String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String map(DeadLetter d) {
        ObjectNode line = JSON.createObjectNode();
        line.put("key", d.key == null ? null : new String(d.key, StandardCharsets.UTF_8));
        line.put("recording_id", d.recordingId);
        line.put("code", d.code);
        line.put("stage", d.stage);
        line.put("processor", d.processor);
        line.put("message", d.message);
        line.put("attempts", d.attempts);
        return line.toString();
    }
}
