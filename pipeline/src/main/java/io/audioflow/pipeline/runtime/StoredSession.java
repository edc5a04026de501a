package io.audioflow.pipeline.runtime;

import io.audioflow.api.StageState;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A stage's session of one recording between two of its chunks, as the stage's slot keeps it:
 * either the plugin's live object or the bytes its {@code writeTo} wrote.
 *
 * <p>Keeping the live object is what makes a heap state backend cheap: the session is written out
 * only when a checkpoint copies it, not after every chunk. A backend that stores bytes (RocksDB, a
 * restore from any checkpoint) hands back the bytes form, and the plugin restores from them. So
 * does a plugin other than the one that opened the session: a session crosses plugin instances (and
 * versions) only as bytes.
 *
 * <p>A live session belongs to whoever holds it: the stage gets it from its slot, feeds it the next
 * chunk, and puts it back. A heap backend's snapshot serializes the object it held when the
 * checkpoint began, and gives the stage a bytes copy to work on meanwhile.
 */
public final class StoredSession {

    private final long frames;
    private final StageState live;
    private final Object owner;
    private final byte[] bytes;

    private StoredSession(long frames, StageState live, Object owner, byte[] bytes) {
        this.frames = frames;
        this.live = live;
        this.owner = owner;
        this.bytes = bytes;
    }

    /**
     * @param frames the frames the stage emitted before this point (0 for an analyzer)
     * @param plugin the plugin instance that opened {@code state}: only it resumes the object
     */
    public static StoredSession live(long frames, StageState state, Object plugin) {
        return new StoredSession(
                frames, Objects.requireNonNull(state), Objects.requireNonNull(plugin), null);
    }

    /** A session as {@link #toBytes} wrote it, for a plugin to restore. */
    public static StoredSession ofBytes(byte[] bytes) {
        return new StoredSession(SessionBytes.frames(bytes), null, null, bytes);
    }

    /** The frames the stage emitted before this point. */
    public long frames() {
        return frames;
    }

    /** The session in the form every checkpoint and every plugin version can read. */
    public byte[] toBytes() {
        return bytes != null ? bytes : SessionBytes.write(frames, live);
    }

    /** True when this holds the plugin's object, not bytes. */
    public boolean isLive() {
        return live != null;
    }

    /**
     * The same session as bytes: what a retry starts from, since a failed step may have changed the
     * live object half-way.
     */
    public StoredSession detached() {
        return bytes != null ? this : ofBytes(toBytes());
    }

    /**
     * The session for {@code plugin} to go on with: its own live object, or what {@code restore}
     * reads from the bytes (after the frame count).
     */
    public <S extends StageState> S resume(Object plugin, Class<S> type, Restore<S> restore) {
        if (live != null && owner == plugin && type.isInstance(live)) return type.cast(live);
        DataInputStream in = SessionBytes.state(toBytes());
        return unchecked(() -> restore.from(in));
    }

    /** A plugin's {@code restore}, bound to the format and context of the recording. */
    @FunctionalInterface
    public interface Restore<S> {
        S from(DataInput in) throws IOException;
    }

    /** Plugins restore from a DataInput, which throws IOException; a stage's step does not. */
    private static <T> T unchecked(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
