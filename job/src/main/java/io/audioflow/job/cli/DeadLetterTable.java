package io.audioflow.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Dead letters as people read them: key, reason code, stage and message. */
final class DeadLetterTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterTable() {}

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String code(ConsumerRecord<byte[], byte[]> r) {
        String code = header(r, "audioflow.error.code");
        return code == null ? "?" : code;
    }

    static String row(ConsumerRecord<byte[], byte[]> r) {
        return String.format(
                "%-28s  %-20s  %-10s  %s",
                r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8),
                code(r),
                String.valueOf(header(r, "audioflow.error.stage")),
                String.valueOf(header(r, "audioflow.error.message")));
    }

    static String tableHeader() {
        return String.format("%-28s  %-20s  %-10s  %s", "key", "code", "stage", "message");
    }

    /** One JSON object: key, headers (text), and the value's size and Base64 bytes. */
    static String json(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        ObjectNode headers = n.putObject("headers");
        for (Header h : r.headers())
            headers.put(
                    h.key(),
                    h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        n.put("value_bytes", r.value() == null ? 0 : r.value().length);
        n.put(
                "value_base64",
                r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()));
        return n.toString();
    }

    static Map<String, Integer> countByCode(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) counts.merge(code(r), 1, Integer::sum);
        return counts;
    }
}
