package io.audioflow.operators.functions;

import io.audioflow.api.StageState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;

/**
 * Stage sessions are kept in Flink state as the bytes their {@code writeTo} produces, so any state
 * backend can checkpoint them without knowing plugin classes, and a plugin upgrade that keeps its
 * state format restores cleanly.
 */
final class StateBytes {

    private StateBytes() {}

    static byte[] write(long frames, StageState state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(frames);
            state.writeTo(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ValueStateDescriptor<byte[]> descriptor(String name) {
        return new ValueStateDescriptor<>(
                name, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    static DataInputStream read(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
