package io.audioflow.operators.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.api.StageState;
import io.audioflow.pipeline.runtime.StoredSession;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StoredSessionSerializerTest {

    /** A session that counts: enough to tell a copy from the object it was taken of. */
    private static final class Count implements StageState {
        long value;

        Count(long value) {
            this.value = value;
        }

        @Override
        public void writeTo(DataOutput out) throws IOException {
            out.writeLong(value);
        }
    }

    private static final Object PLUGIN = new Object();

    private static long count(StoredSession s) {
        return s.resume(PLUGIN, Count.class, in -> new Count(in.readLong())).value;
    }

    @Test
    void writesWhatABytePrimitiveArraySerializerWritesForTheSessionsBytes() throws IOException {
        StoredSession live = StoredSession.live(48_000, new Count(7), PLUGIN);
        DataOutputSerializer ours = new DataOutputSerializer(64);
        StoredSessionSerializer.INSTANCE.serialize(live, ours);
        DataOutputSerializer plain = new DataOutputSerializer(64);
        BytePrimitiveArraySerializer.INSTANCE.serialize(live.toBytes(), plain);
        assertThat(ours.getCopyOfBuffer()).isEqualTo(plain.getCopyOfBuffer());

        StoredSession back =
                StoredSessionSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(ours.getCopyOfBuffer()));
        assertThat(back.isLive()).isFalse();
        assertThat(back.frames()).isEqualTo(48_000);
        assertThat(count(back)).isEqualTo(7);
    }

    @Test
    void aCopyIsTheSessionAsBytesUntouchedByLaterChangesToTheLiveObject() {
        Count state = new Count(3);
        StoredSession live = StoredSession.live(10, state, PLUGIN);
        StoredSession copy = StoredSessionSerializer.INSTANCE.copy(live);
        state.value = 99;
        assertThat(copy.isLive()).isFalse();
        assertThat(count(copy)).isEqualTo(3);
        assertThat(copy.frames()).isEqualTo(10);
        assertThat(count(live)).as("its owner goes on with the object itself").isEqualTo(99);
    }

    @Test
    void anotherPluginInstanceResumesFromBytesNeverFromTheObject() {
        Count state = new Count(5);
        StoredSession live = StoredSession.live(0, state, PLUGIN);
        Count resumed = live.resume(new Object(), Count.class, in -> new Count(in.readLong()));
        assertThat(resumed).isNotSameAs(state);
        assertThat(resumed.value).isEqualTo(5);
    }

    @Test
    void itsSnapshotRestoresItAndIsCompatibleWithItself() throws IOException {
        TypeSerializerSnapshot<StoredSession> snapshot =
                StoredSessionSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<StoredSession> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(StoredSessionSerializer.INSTANCE);
        assertThat(snapshot.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }
}
