package io.audioflow.operators.runtime;

/**
 * Where a stage keeps what it must remember between a recording's chunks. The names are the state
 * names savepoints carry: keep them.
 */
public interface RecordingSlots {

    Slot<byte[]> bytes(String name);

    Slot<Boolean> flag(String name);

    Slot<String> text(String name);
}
