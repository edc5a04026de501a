package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import java.util.function.Consumer;

/** A decoder for a container that is decoded once all of its bytes are there (FLAC, MP3). */
interface WholeStreamDecoder {

    /** Decodes {@code bytes} into consecutive blocks; errors are ValidationExceptions. */
    void decode(byte[] bytes, Consumer<AudioBlock> out);
}
