package io.audioflow.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.audioflow.job.kafka.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Results as an analyst reads them: committed only, counted by recording id. */
public final class CommittedResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommittedResults() {}

    /**
     * Reads committed results until {@code done} holds (or the time is up), counting them by
     * recording id.
     */
    public static void follow(
            String bootstrap,
            String topic,
            Map<String, Integer> counts,
            List<JsonNode> all,
            BooleanSupplier done,
            Duration timeout) {
        try (TopicReader reader = new TopicReader(bootstrap, topic)) {
            reader.follow(
                    r -> {
                        try {
                            JsonNode n = JSON.readTree(r.value());
                            all.add(n);
                            counts.merge(n.path("recording_id").asText(), 1, Integer::sum);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    done,
                    timeout);
        }
    }
}
