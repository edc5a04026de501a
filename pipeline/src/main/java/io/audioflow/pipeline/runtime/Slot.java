package io.audioflow.pipeline.runtime;

/**
 * One value a stage keeps for the recording it is working on: in the streaming job a Flink {@code
 * ValueState} scoped to the recording's key, in a local run a field reset for every recording.
 */
public interface Slot<T> {

    /** The value, or null when none is kept. */
    T get();

    void set(T value);

    void clear();
}
