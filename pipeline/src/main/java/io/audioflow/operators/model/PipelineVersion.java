package io.audioflow.operators.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration the running job applied through the control topic, as it travels with every chunk
 * and stage result of the recordings that started under it. Recordings of the submitted
 * configuration carry none (version 1 is the submitted pipeline itself).
 *
 * <p>A Flink POJO of plain fields so that it costs a long, two strings and a byte array on the
 * wire; the changed stages travel Java-serialized, the same way {@link StageSpec}s travel in the
 * job graph, since their configs hold arbitrary YAML values.
 *
 * @param version counts from 1 (the submitted pipeline) for one submitted configuration
 * @param baseConfigSha256 the submitted pipeline's config digest this version was validated on
 * @param configSha256 the digest of the configuration in effect (submitted plus updates)
 * @param changedStagesBytes the stages that differ from the submitted pipeline, serialized; see
 *     {@link #changedStages()}
 */
public record PipelineVersion(
        long version, String baseConfigSha256, String configSha256, byte[] changedStagesBytes) {

    public static PipelineVersion of(
            long version,
            String baseConfigSha256,
            String configSha256,
            Map<String, StageSpec> changed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new LinkedHashMap<>(changed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PipelineVersion(version, baseConfigSha256, configSha256, bytes.toByteArray());
    }

    /** Stage name to its spec under this version, for the stages an update changed. */
    @SuppressWarnings("unchecked")
    public Map<String, StageSpec> changedStages() {
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(changedStagesBytes))) {
            return (Map<String, StageSpec>) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("unreadable pipeline version " + version, e);
        }
    }
}
