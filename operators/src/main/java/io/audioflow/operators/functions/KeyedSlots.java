package io.audioflow.operators.functions;

import io.audioflow.pipeline.runtime.RecordingSlots;
import io.audioflow.pipeline.runtime.Slot;
import io.audioflow.pipeline.runtime.SlotAccessException;
import java.io.IOException;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A stage's slots as Flink keyed state: each is scoped to the recording being processed, and
 * checkpointed. Byte slots hold a session's own bytes, so any state backend can keep them without
 * knowing plugin classes.
 */
final class KeyedSlots implements RecordingSlots {

    private final RuntimeContext context;

    KeyedSlots(RuntimeContext context) {
        this.context = context;
    }

    @Override
    public Slot<byte[]> bytes(String name) {
        return slot(name, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
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
        ValueState<T> state = context.getState(new ValueStateDescriptor<>(name, type));
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
