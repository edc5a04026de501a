package io.audioflow.operators.functions;

import io.audioflow.pipeline.runtime.RecordingSlots;
import io.audioflow.pipeline.runtime.Slot;
import io.audioflow.pipeline.runtime.SlotAccessException;
import io.audioflow.pipeline.runtime.StoredSession;
import java.io.IOException;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A stage's slots as Flink keyed state: each is scoped to the recording being processed, and
 * checkpointed. Sessions are written as their own bytes ({@link StoredSessionSerializer}), so any
 * state backend can keep them without knowing plugin classes; a heap backend keeps them live.
 */
final class KeyedSlots implements RecordingSlots {

    private final RuntimeContext context;

    KeyedSlots(RuntimeContext context) {
        this.context = context;
    }

    @Override
    public Slot<StoredSession> session(String name, String formerBytes) {
        Slot<StoredSession> session =
                slot(new ValueStateDescriptor<>(name, StoredSessionSerializer.INSTANCE));
        Slot<byte[]> former =
                slot(
                        new ValueStateDescriptor<>(
                                formerBytes,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        return new Slot<>() {
            @Override
            public StoredSession get() {
                StoredSession kept = session.get();
                if (kept != null) return kept;
                // Only a recording open across the upgrade has one, and only until its next chunk.
                byte[] bytes = former.get();
                if (bytes == null) return null;
                former.clear();
                return StoredSession.ofBytes(bytes);
            }

            @Override
            public void set(StoredSession value) {
                session.set(value);
            }

            @Override
            public void clear() {
                session.clear();
                former.clear();
            }
        };
    }

    @Override
    public Slot<Boolean> flag(String name) {
        return slot(name, Types.BOOLEAN);
    }

    @Override
    public Slot<String> text(String name) {
        return slot(name, Types.STRING);
    }

    private <T> Slot<T> slot(String name, TypeInformation<T> type) {
        return slot(new ValueStateDescriptor<>(name, type));
    }

    private <T> Slot<T> slot(ValueStateDescriptor<T> descriptor) {
        String name = descriptor.getName();
        ValueState<T> state = context.getState(descriptor);
        return new Slot<>() {
            @Override
            public T get() {
                try {
                    return state.value();
                } catch (IOException e) {
                    throw new SlotAccessException(name, e);
                }
            }

            @Override
            public void set(T value) {
                try {
                    state.update(value);
                } catch (IOException e) {
                    throw new SlotAccessException(name, e);
                }
            }

            @Override
            public void clear() {
                state.clear();
            }
        };
    }
}
