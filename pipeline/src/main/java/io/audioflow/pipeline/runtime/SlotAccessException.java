package io.audioflow.pipeline.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The store behind a {@link Slot} failed. This is the runtime's fault, not the recording's: stages
 * let it through instead of turning it into the recording's failure.
 */
public final class SlotAccessException extends UncheckedIOException {

    public SlotAccessException(String slot, IOException cause) {
        super("cannot access state `" + slot + "`: " + cause.getMessage(), cause);
    }
}
