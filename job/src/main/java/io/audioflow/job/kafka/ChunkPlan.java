package io.audioflow.job.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How a file is cut into input messages: PCM (WAV data, raw) into pieces of about {@code chunkMs}
 * of audio on frame boundaries, the header travelling with the first; compressed formats into fixed
 * byte pieces, which the job reassembles before decoding. Also reads the duration from the header
 * where that is cheap, for the publisher's progress line.
 *
 * @param cuts end offsets of the pieces, ascending, the last one the file's length
 * @param audioSeconds NaN when the file does not say (an odd WAV, a FLAC without total samples)
 */
public record ChunkPlan(
        String format, int sampleRate, int channels, long[] cuts, double audioSeconds) {

    /** Pieces of compressed audio, under Kafka's default 1 MiB message limit with room to spare. */
    static final int COMPRESSED_PIECE_BYTES = 256 * 1024;

    public static ChunkPlan of(
            byte[] file, String format, int sampleRate, int channels, long chunkMs) {
        return switch (format) {
            case "wav" -> wav(file, chunkMs);
            case "pcm_s16le", "pcm_s24le", "pcm_f32le" -> {
                int width = format.equals("pcm_s16le") ? 2 : format.equals("pcm_s24le") ? 3 : 4;
                long bytesPerSecond = (long) sampleRate * channels * width;
                yield new ChunkPlan(
                        format,
                        sampleRate,
                        channels,
                        pcmCuts(file.length, 0, bytesPerSecond, channels * width, chunkMs),
                        bytesPerSecond == 0 ? Double.NaN : file.length / (double) bytesPerSecond);
            }
            case "flac" -> compressed(file, format, flacSeconds(file));
            case "mp3" -> compressed(file, format, Mp3Duration.seconds(file));
            default -> compressed(file, format, Double.NaN);
        };
    }

    public int pieces() {
        return cuts.length;
    }

    private static ChunkPlan compressed(byte[] file, String format, double seconds) {
        List<Long> cuts = new ArrayList<>();
        for (long end = COMPRESSED_PIECE_BYTES; end < file.length; end += COMPRESSED_PIECE_BYTES)
            cuts.add(end);
        cuts.add((long) file.length);
        return new ChunkPlan(
                format, 0, 0, cuts.stream().mapToLong(Long::longValue).toArray(), seconds);
    }

    /** Finds fmt and data; a file too odd to read is cut as compressed and left to the decoder. */
    private static ChunkPlan wav(byte[] file, long chunkMs) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157)
            return compressed(file, "wav", Double.NaN);
        int pos = 12;
        long byteRate = 0;
        int blockAlign = 0;
        while (pos + 8 <= file.length) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            if (id == 0x20746d66 && pos + 22 <= file.length) { // "fmt "
                byteRate = Integer.toUnsignedLong(b.getInt(pos + 16));
                blockAlign = Short.toUnsignedInt(b.getShort(pos + 20));
            } else if (id == 0x61746164 && byteRate > 0 && blockAlign > 0) { // "data"
                int dataStart = pos + 8;
                long dataBytes = Math.min(size, file.length - dataStart);
                return new ChunkPlan(
                        "wav",
                        0,
                        0,
                        pcmCuts(file.length, dataStart, byteRate, blockAlign, chunkMs),
                        dataBytes / (double) byteRate);
            }
            pos += 8 + size + (size & 1);
        }
        return compressed(file, "wav", Double.NaN);
    }

    private static long[] pcmCuts(
            long length, long start, long bytesPerSecond, int frameBytes, long chunkMs) {
        long piece =
                Math.max(frameBytes, bytesPerSecond * chunkMs / 1000 / frameBytes * frameBytes);
        piece = Math.min(piece, COMPRESSED_PIECE_BYTES * 3L); // stay under 1 MiB per message
        piece = Math.max(frameBytes, piece / frameBytes * frameBytes);
        List<Long> cuts = new ArrayList<>();
        for (long end = start + piece; end < length; end += piece) cuts.add(end);
        cuts.add(length);
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    /** STREAMINFO's total samples over its sample rate; NaN when either is unknown. */
    private static double flacSeconds(byte[] f) {
        if (f.length < 26 || f[0] != 'f' || f[1] != 'L' || f[2] != 'a' || f[3] != 'C')
            return Double.NaN;
        int s = 8; // after "fLaC" and the metadata block header
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = (bits << 8) | (f[s + 10 + i] & 0xFF);
        long rate = bits >>> 44;
        long total = bits & 0xF_FFFF_FFFFL;
        return rate == 0 || total == 0 ? Double.NaN : total / (double) rate;
    }
}
