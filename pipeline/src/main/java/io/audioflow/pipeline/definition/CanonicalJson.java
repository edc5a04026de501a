package io.audioflow.pipeline.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact JSON of plain values (maps, lists, strings, numbers, booleans, null) with every map's
 * entries ordered by key: what Jackson's {@code ObjectMapper} writes with {@code
 * ORDER_MAP_ENTRIES_BY_KEYS}, byte for byte, so digests made before stay the same. Written with
 * jackson-core's generator: an ObjectMapper's set-up is a large share of a short-lived CLI's start.
 */
final class CanonicalJson {

    private static final JsonFactory JSON = new JsonFactory();

    private CanonicalJson() {}

    static String of(Object value) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) g.writeNull();
        else if (value instanceof String s) g.writeString(s);
        else if (value instanceof Boolean b) g.writeBoolean(b);
        else if (value instanceof Integer || value instanceof Short || value instanceof Byte)
            g.writeNumber(((Number) value).intValue());
        else if (value instanceof Long l) g.writeNumber(l);
        else if (value instanceof Double d) g.writeNumber(d);
        else if (value instanceof Float f) g.writeNumber(f);
        else if (value instanceof BigDecimal d) g.writeNumber(d);
        else if (value instanceof BigInteger i) g.writeNumber(i);
        else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<String, ?> e : sorted(map).entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object v : list) write(g, v);
            g.writeEndArray();
        } else if (value instanceof Object[] array) {
            g.writeStartArray();
            for (Object v : array) write(g, v);
            g.writeEndArray();
        } else if (value instanceof Enum<?> e) g.writeString(e.name());
        else g.writeString(value.toString());
    }

    private static Map<String, ?> sorted(Map<?, ?> map) {
        Map<String, Object> byKey = new TreeMap<>();
        map.forEach((k, v) -> byKey.put(String.valueOf(k), v));
        return byKey;
    }
}
