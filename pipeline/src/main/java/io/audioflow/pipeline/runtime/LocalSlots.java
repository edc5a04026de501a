package io.audioflow.pipeline.runtime;

import java.util.HashMap;
import java.util.Map;

/** A stage's slots when it works on one recording at a time, in this thread. */
public final class LocalSlots implements RecordingSlots {

    private final Map<String, Object> values = new HashMap<>();

    private final boolean weighSessions;

    /** The largest session kept so far, in bytes: what one open recording costs a checkpoint. */
    private long largestBytes;

    /**
     * Sessions stay live objects, as a heap state backend keeps them.
     *
     * @param weighSessions write every session out as a checkpoint would, after each chunk, to know
     *     the largest ({@code profile} reports it); this costs what keeping them live saves
     */
    public LocalSlots(boolean weighSessions) {
        this.weighSessions = weighSessions;
    }

    @Override
    public Slot<StoredSession> session(String name, String formerBytes) {
        return slot(name);
    }

    @Override
    public Slot<Boolean> flag(String name) {
        return slot(name);
    }

    @Override
    public Slot<String> text(String name) {
        return slot(name);
    }

    /** True when no slot holds a value: what every stage leaves behind when a recording ends. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    public void clear() {
        values.clear();
    }

    /** The largest session kept so far, in bytes; 0 unless the slots weigh their sessions. */
    public long largestBytes() {
        return largestBytes;
    }

    private <T> Slot<T> slot(String name) {
        return new Slot<>() {
            @Override
            @SuppressWarnings("unchecked")
            public T get() {
                return (T) values.get(name);
            }

            @Override
            public void set(T value) {
                if (value == null) {
                    values.remove(name);
                    return;
                }
                values.put(name, value);
                if (weighSessions && value instanceof StoredSession session)
                    largestBytes = Math.max(largestBytes, session.toBytes().length);
            }

            @Override
            public void clear() {
                values.remove(name);
            }
        };
    }
}
