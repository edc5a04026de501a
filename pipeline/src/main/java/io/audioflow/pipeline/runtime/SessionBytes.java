package io.audioflow.pipeline.runtime;

import io.audioflow.api.StageState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Stage sessions are kept as the bytes their {@code writeTo} produces, after a frame count, so any
 * state backend can checkpoint them without knowing plugin classes, and a plugin upgrade that keeps
 * its state format restores cleanly.
 */
final class SessionBytes {

    private SessionBytes() {}

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

    /** The frame count {@link #write} put first. */
    static long frames(byte[] bytes) {
        if (bytes.length < Long.BYTES)
            throw new IllegalArgumentException(
                    "a stored session starts with its frame count; got " + bytes.length + " bytes");
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** The plugin's own bytes, after the frame count. */
    static DataInputStream state(byte[] bytes) {
        return new DataInputStream(
                new ByteArrayInputStream(bytes, Long.BYTES, bytes.length - Long.BYTES));
    }
}
