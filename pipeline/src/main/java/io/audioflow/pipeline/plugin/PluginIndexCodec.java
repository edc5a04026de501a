package io.audioflow.pipeline.plugin;

import io.audioflow.api.ConfigOption;
import io.audioflow.api.MetricDefinition;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.SemVer;
import io.audioflow.api.StageKind;
import io.audioflow.api.Unit;
import io.audioflow.api.VersionConstraint;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry cache's file format: plain data written field by field. Java serialization was the
 * first choice and cost 150 ms to read back in a fresh JVM, more than the scan it saved.
 */
final class PluginIndexCodec {

    private PluginIndexCodec() {}

    static void write(Map<String, PluginIndex.Entry> entries, DataOutput out) throws IOException {
        out.writeInt(entries.size());
        for (Map.Entry<String, PluginIndex.Entry> e : entries.entrySet()) {
            out.writeUTF(e.getKey());
            PluginIndex.Entry entry = e.getValue();
            out.writeInt(entry.jars().size());
            for (PluginIndex.JarStamp j : entry.jars()) {
                out.writeUTF(j.path());
                out.writeLong(j.size());
                out.writeLong(j.modifiedMillis());
                out.writeUTF(j.sha256());
            }
            out.writeBoolean(entry.scanned());
            if (!entry.scanned()) continue;
            out.writeInt(entry.plugins().size());
            for (PluginIndex.IndexedPlugin p : entry.plugins()) {
                out.writeUTF(p.className());
                out.writeUTF(p.source());
                nullable(out, p.infoProblem());
                out.writeBoolean(p.implementsKind());
                out.writeBoolean(p.info() != null);
                if (p.info() != null) writeInfo(p.info(), out);
            }
            out.writeInt(entry.rejected().size());
            for (RejectedPlugin r : entry.rejected()) {
                out.writeUTF(r.candidate());
                out.writeUTF(r.source());
                out.writeUTF(r.reason());
            }
        }
    }

    static Map<String, PluginIndex.Entry> read(DataInput in) throws IOException {
        Map<String, PluginIndex.Entry> entries = new HashMap<>();
        for (int n = in.readInt(), i = 0; i < n; i++) {
            String key = in.readUTF();
            List<PluginIndex.JarStamp> jars = new ArrayList<>();
            for (int m = in.readInt(), j = 0; j < m; j++)
                jars.add(
                        new PluginIndex.JarStamp(
                                in.readUTF(), in.readLong(), in.readLong(), in.readUTF()));
            if (!in.readBoolean()) {
                entries.put(key, new PluginIndex.Entry(jars, null, null));
                continue;
            }
            List<PluginIndex.IndexedPlugin> plugins = new ArrayList<>();
            for (int m = in.readInt(), j = 0; j < m; j++) {
                String className = in.readUTF();
                String source = in.readUTF();
                String problem = nullable(in);
                boolean implementsKind = in.readBoolean();
                PluginInfo info = in.readBoolean() ? readInfo(in) : null;
                plugins.add(
                        new PluginIndex.IndexedPlugin(
                                className, source, info, problem, implementsKind));
            }
            List<RejectedPlugin> rejected = new ArrayList<>();
            for (int m = in.readInt(), j = 0; j < m; j++)
                rejected.add(new RejectedPlugin(in.readUTF(), in.readUTF(), in.readUTF()));
            entries.put(key, new PluginIndex.Entry(jars, plugins, rejected));
        }
        return entries;
    }

    private static void writeInfo(PluginInfo info, DataOutput out) throws IOException {
        out.writeUTF(info.name());
        out.writeUTF(info.version().toString());
        out.writeUTF(info.spiRange().toString());
        out.writeUTF(info.kind().name());
        out.writeUTF(info.description());
        out.writeInt(info.metrics().size());
        for (MetricDefinition m : info.metrics()) {
            out.writeUTF(m.name());
            out.writeUTF(m.unit().name());
            out.writeUTF(m.definition());
        }
        out.writeInt(info.options().size());
        for (ConfigOption o : info.options()) {
            out.writeUTF(o.name());
            out.writeUTF(o.type().name());
            writeValue(o.defaultValue(), out);
            writeValue(o.min(), out);
            writeValue(o.max(), out);
            writeValue(o.allowed(), out);
            out.writeUTF(o.description());
        }
        writeValue(info.dependencies(), out);
        writeValue(info.products(), out);
    }

    @SuppressWarnings("unchecked")
    private static PluginInfo readInfo(DataInput in) throws IOException {
        String name = in.readUTF();
        SemVer version = SemVer.parse(in.readUTF());
        VersionConstraint spi = VersionConstraint.parse(in.readUTF());
        StageKind kind = StageKind.valueOf(in.readUTF());
        String description = in.readUTF();
        List<MetricDefinition> metrics = new ArrayList<>();
        for (int n = in.readInt(), i = 0; i < n; i++)
            metrics.add(
                    new MetricDefinition(in.readUTF(), Unit.valueOf(in.readUTF()), in.readUTF()));
        List<ConfigOption> options = new ArrayList<>();
        for (int n = in.readInt(), i = 0; i < n; i++)
            options.add(
                    new ConfigOption(
                            in.readUTF(),
                            ConfigOption.Type.valueOf(in.readUTF()),
                            readValue(in),
                            (Double) readValue(in),
                            (Double) readValue(in),
                            (List<String>) readValue(in),
                            in.readUTF()));
        List<String> dependencies = (List<String>) readValue(in);
        List<String> products = (List<String>) readValue(in);
        return new PluginInfo(
                name, version, spi, kind, description, metrics, options, dependencies, products);
    }

    private static void nullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String nullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Config defaults are YAML-shaped: null, booleans, numbers, strings, lists and maps. */
    private static void writeValue(Object v, DataOutput out) throws IOException {
        if (v == null) {
            out.writeByte('n');
        } else if (v instanceof Boolean b) {
            out.writeByte('b');
            out.writeBoolean(b);
        } else if (v instanceof Integer i) {
            out.writeByte('i');
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte('l');
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeByte('d');
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte('s');
            out.writeUTF(s);
        } else if (v instanceof List<?> list) {
            out.writeByte('L');
            out.writeInt(list.size());
            for (Object o : list) writeValue(o, out);
        } else if (v instanceof Map<?, ?> map) {
            out.writeByte('M');
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeUTF(String.valueOf(e.getKey()));
                writeValue(e.getValue(), out);
            }
        } else {
            // Not YAML-shaped: the index cannot hold this plugin faithfully, so it is not cached.
            throw new IOException("cannot index a config default of type " + v.getClass());
        }
    }

    private static Object readValue(DataInput in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 'n' -> null;
            case 'b' -> in.readBoolean();
            case 'i' -> in.readInt();
            case 'l' -> in.readLong();
            case 'd' -> in.readDouble();
            case 's' -> in.readUTF();
            case 'L' -> {
                List<Object> list = new ArrayList<>();
                for (int n = in.readInt(), i = 0; i < n; i++) list.add(readValue(in));
                yield list;
            }
            case 'M' -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = in.readInt(), i = 0; i < n; i++) map.put(in.readUTF(), readValue(in));
                yield map;
            }
            default -> throw new IOException("damaged index: value tag " + tag);
        };
    }
}
