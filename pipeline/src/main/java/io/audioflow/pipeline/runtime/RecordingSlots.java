package io.audioflow.pipeline.runtime;

/**
 * Where a stage keeps what it must remember between a recording's chunks. The names are the state
 * names savepoints carry: keep them.
 */
public interface RecordingSlots {

    Slot<Boolean> flag(String name);

    Slot<String> text(String name);

    /**
     * A stage's session of the recording.
     *
     * @param formerBytes the byte slot that held this session before sessions were kept live:
     *     checkpoints and savepoints of earlier versions hold their open recordings' sessions
     *     there. A session found there is handed on once and cleared
     */
    Slot<StoredSession> session(String name, String formerBytes);

    /** The same slots under names that start with {@code prefix}: a second runner's own. */
    default RecordingSlots prefixed(String prefix) {
        RecordingSlots all = this;
        return new RecordingSlots() {
            @Override
            public Slot<Boolean> flag(String name) {
                return all.flag(prefix + name);
            }

            @Override
            public Slot<String> text(String name) {
                return all.text(prefix + name);
            }

            @Override
            public Slot<StoredSession> session(String name, String formerBytes) {
                return all.session(prefix + name, prefix + formerBytes);
            }
        };
    }
}
