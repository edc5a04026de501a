package io.audioflow.api;

import java.io.DataInput;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The processor role applied to encoded input: bytes in, audio out. Bytes arrive in order, in
 * pieces of any size, so a decoder works incrementally (a WAV header may be split across pieces).
 */
public interface AudioDecoder extends StagePlugin {

    /** Encoding names this decoder handles, as in {@link EncodingHint#format()}. */
    List<String> formats();

    DecoderSession open(EncodingHint hint, StageContext context);

    /**
     * A state as {@code open} gives it, then what it wrote read back (see StageState#readState).
     */
    default DecoderSession restore(EncodingHint hint, StageContext context, DataInput in)
            throws IOException {
        DecoderSession state = open(hint, context);
        state.readState(in);
        return state;
    }

    /** One recording being decoded. Errors are {@link ValidationException}s with a decoder code. */
    interface DecoderSession extends StageState {

        void feed(byte[] data, Consumer<AudioBlock> out);

        /** No more bytes will come; emit what is left and check the stream was complete. */
        void finish(Consumer<AudioBlock> out);

        /** The decoded format, or null while the header has not been read. */
        AudioFormat format();
    }
}
