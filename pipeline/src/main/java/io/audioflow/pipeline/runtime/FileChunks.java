package io.audioflow.pipeline.runtime;

import io.audioflow.operators.model.EncodedChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads local audio files as the Kafka source would deliver them: encoded bytes in numbered pieces,
 * the recording id being the file name. A file that cannot be read becomes a single chunk with an
 * unreadable marker so the decode stage reports it like any other bad input.
 *
 * @param rawFormat the {@code audio.format} of headerless files; with {@code sampleRate} and {@code
 *     channels}, which apply to them only
 */
public record FileChunks(String rawFormat, int sampleRate, int channels)
        implements java.io.Serializable {

    public static final int CHUNK_BYTES = 1 << 20;
    private static final int MAX_WHOLE_FILE_BYTES = Integer.MAX_VALUE - 16;
    private static final Set<String> WHOLE_FILE_FORMATS = Set.of("flac", "mp3");

    /** The recording id of a file: its name. */
    public static String recordingIdOf(Path file) {
        return file.getFileName().toString();
    }

    public void read(Path file, Consumer<EncodedChunk> out) {
        String id = recordingIdOf(file);
        try (InputStream in = Files.newInputStream(file)) {
            chunks(id, in).forEachRemaining(out);
        } catch (IOException | UncheckedIOException e) {
            out.accept(unreadable(id, e));
        }
    }

    /**
     * The chunks of one recording read from {@code in} as they are asked for: only one chunk is in
     * memory at a time (FLAC and MP3, decoded whole, come as one). A read error surfaces as {@link
     * UncheckedIOException} from the iterator.
     */
    public Iterator<EncodedChunk> chunks(String id, InputStream in) {
        String format = formatOf(id, rawFormat);
        return new Iterator<>() {
            private long seq;
            private byte[] buffer;
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public EncodedChunk next() {
                if (done) throw new NoSuchElementException();
                try {
                    if (WHOLE_FILE_FORMATS.contains(format)) {
                        // These are decoded whole: one piece spares the decoder state a copy per
                        // chunk.
                        done = true;
                        return new EncodedChunk(
                                id,
                                0,
                                true,
                                format,
                                sampleRate,
                                channels,
                                in.readNBytes(MAX_WHOLE_FILE_BYTES));
                    }
                    if (buffer == null) buffer = piece(in);
                    byte[] next = buffer.length < CHUNK_BYTES ? new byte[0] : piece(in);
                    done = next.length == 0;
                    EncodedChunk chunk =
                            new EncodedChunk(id, seq++, done, format, sampleRate, channels, buffer);
                    buffer = next;
                    return chunk;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * The next {@link #CHUNK_BYTES} of {@code in}, fewer at its end. Read into the array it
     * returns: {@code readNBytes(int)} gathers small buffers and copies them, and fresh heap pages
     * cost a short-lived JVM more than the decoding does.
     */
    private static byte[] piece(InputStream in) throws IOException {
        byte[] piece = new byte[CHUNK_BYTES];
        int n = in.readNBytes(piece, 0, CHUNK_BYTES);
        return n == CHUNK_BYTES ? piece : Arrays.copyOf(piece, n);
    }

    /** A file that could not be read, as one chunk the decode stage reports like bad input. */
    public static EncodedChunk unreadable(String id, Exception e) {
        return new EncodedChunk(id, 0, true, "unreadable: " + e.getMessage(), 0, 0, new byte[0]);
    }

    /**
     * The input contract's {@code audio.format} for a file, by its extension; headerless {@code
     * .raw}/{@code .pcm} files are {@code rawFormat}. Shared by the local reader and the producer.
     */
    public static String formatOf(String fileName, String rawFormat) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "wav", "wave" -> "wav";
            case "flac" -> "flac";
            case "mp3" -> "mp3";
            case "raw", "pcm" -> rawFormat;
            default -> ext.isEmpty() ? "unknown" : ext;
        };
    }
}
