package io.audioflow.job.replay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Which dead letters to replay; an empty set or a null bound selects everything on that axis.
 *
 * @param codes {@code audioflow.error.code}
 * @param stages {@code audioflow.error.stage}
 * @param since, until bounds on the dead letter's record time, {@code since} included
 * @param keys recording ids (the dead letter's key)
 */
public record DeadLetterSelection(
        Set<String> codes, Set<String> stages, Instant since, Instant until, Set<String> keys) {

    public DeadLetterSelection {
        codes = Set.copyOf(codes);
        stages = Set.copyOf(stages);
        keys = Set.copyOf(keys);
    }

    public boolean matches(ConsumerRecord<byte[], byte[]> deadLetter) {
        Instant at = Instant.ofEpochMilli(deadLetter.timestamp());
        return (codes.isEmpty() || codes.contains(header(deadLetter, "audioflow.error.code")))
                && (stages.isEmpty()
                        || stages.contains(header(deadLetter, "audioflow.error.stage")))
                && (since == null || !at.isBefore(since))
                && (until == null || at.isBefore(until))
                && (keys.isEmpty()
                        || deadLetter.key() != null
                                && keys.contains(
                                        new String(deadLetter.key(), StandardCharsets.UTF_8)));
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
