package io.audioflow.operators.functions;

import io.audioflow.pipeline.runtime.StoredSession;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a stage's session as its length and the bytes the plugin's {@code writeTo} gives, and
 * reads it back as bytes for the plugin to restore. It needs no plugin class, so any state backend
 * can checkpoint any plugin's session, and a restored job may run a newer plugin version.
 *
 * <p>A heap backend keeps the live session between chunks and calls this only for checkpoints.
 * While an asynchronous snapshot still needs the object it started from, the backend hands the
 * stage a {@link #copy}: the session as bytes, which the plugin restores into a new object.
 */
final class StoredSessionSerializer extends TypeSerializer<StoredSession> {

    static final StoredSessionSerializer INSTANCE = new StoredSessionSerializer();

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<StoredSession> duplicate() {
        return this; // stateless
    }

    @Override
    public StoredSession createInstance() {
        return null; // a session is opened by its plugin, never made empty
    }

    @Override
    public StoredSession copy(StoredSession from) {
        return from.detached();
    }

    @Override
    public StoredSession copy(StoredSession from, StoredSession reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StoredSession record, DataOutputView target) throws IOException {
        byte[] bytes = record.toBytes();
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public StoredSession deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return StoredSession.ofBytes(bytes);
    }

    @Override
    public StoredSession deserialize(StoredSession reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StoredSessionSerializer;
    }

    @Override
    public int hashCode() {
        return StoredSessionSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<StoredSession> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: any version of it reads what another wrote. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<StoredSession> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
