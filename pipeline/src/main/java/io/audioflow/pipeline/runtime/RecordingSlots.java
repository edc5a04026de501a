package io.audioflow.pipeline.runtime;

/**
 * Where a stage keeps what it must remember between a recording's chunks. The names are the state
 * names savepoints carry: keep them.
 */
public interface RecordingSlots {

    Slot<byte[]> bytes(String name);

    Slot<Boolean> flag(String name);

    Slot<String> text(String name);

    /** The same slots under names that start with {@code prefix}: a second runner's own. */
    default RecordingSlots prefixed(String prefix) {
        RecordingSlots all = this;
        return new RecordingSlots() {
            @Override
            public Slot<byte[]> bytes(String name) {
                return all.bytes(prefix + name);
            }

            @Override
            public Slot<Boolean> flag(String name) {
                return all.flag(prefix + name);
            }

            @Override
            public Slot<String> text(String name) {
                return all.text(prefix + name);
            }
        };
    }
}
