package io.audioflow.api;

import java.io.DataOutput;
import java.io.IOException;

/**
 * Per-recording state of a stage. It lives in Flink keyed state and is checkpointed, so it must be
 * bounded (independent of the recording's length) and writable; the plugin's {@code restore} reads
 * back what {@link #writeTo} wrote.
 */
public interface StageState {

    void writeTo(DataOutput out) throws IOException;
}
