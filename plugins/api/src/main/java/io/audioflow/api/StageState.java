package io.audioflow.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Per-recording state of a stage. It lives in Flink keyed state and is checkpointed, so it must be
 * bounded (independent of the recording's length) and writable; the plugin's {@code restore} reads
 * back what {@link #writeTo} wrote.
 *
 * <p>The host may keep the object itself from one chunk to the next and call {@link #writeTo} only
 * when a checkpoint takes it, on another thread than the one feeding audio (never while audio is
 * being fed to this state). So {@code writeTo} reads only this state's own fields and changes
 * nothing.
 */
public interface StageState {

    void writeTo(DataOutput out) throws IOException;

    /**
     * Reads back, into a state its plugin just opened, what {@link #writeTo} wrote. The SPI's
     * default {@code restore} is open-then-{@code readState} (SPI 1.3); a plugin that restores
     * differently overrides {@code restore} instead and never needs this.
     */
    default void readState(DataInput in) throws IOException {
        throw new UnsupportedOperationException(
                getClass().getName()
                        + " implements neither readState nor its plugin's restore; implement one");
    }
}
