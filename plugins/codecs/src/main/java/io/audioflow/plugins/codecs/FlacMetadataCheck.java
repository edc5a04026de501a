package io.audioflow.plugins.codecs;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;

/**
 * Checks a FLAC stream's metadata blocks and hands jFLAC only what decoding needs. jFLAC parses
 * Vorbis comments, pictures and cue sheets by the lengths inside them, without checking those
 * against the block, and reads STREAMINFO as 34 bytes whatever its block says: crafted fields made
 * it allocate gigabytes (found by HostileInputFuzzTest). Every block is checked here, and the
 * stream jFLAC reads keeps STREAMINFO (which must be the first block, of 34 bytes) and the audio
 * frames only: no analysis uses the other blocks.
 */
final class FlacMetadataCheck {

    private static final int VORBIS_COMMENT = 4;
    private static final int PICTURE = 6;
    private static final int INVALID = 127;

    private FlacMetadataCheck() {}

    private static final int STREAMINFO = 0;
    private static final int STREAMINFO_BYTES = 34;

    /**
     * The stream with STREAMINFO as its only metadata block, or a coded error.
     *
     * @param b the stream, starting with its {@code fLaC} marker
     */
    static byte[] audioOnly(byte[] b) {
        int framesFrom = check(b);
        if (b.length < 8 + STREAMINFO_BYTES
                || (b[4] & 0x7f) != STREAMINFO
                || ((b[5] & 0xff) << 16 | (b[6] & 0xff) << 8 | (b[7] & 0xff)) != STREAMINFO_BYTES)
            throw malformed("the first metadata block is not a 34-byte STREAMINFO");
        byte[] out = new byte[8 + STREAMINFO_BYTES + (b.length - framesFrom)];
        System.arraycopy(b, 0, out, 0, 8 + STREAMINFO_BYTES);
        out[4] = (byte) 0x80; // STREAMINFO, and the last metadata block
        System.arraycopy(b, framesFrom, out, 8 + STREAMINFO_BYTES, b.length - framesFrom);
        return out;
    }

    /** Where the audio frames start, after every metadata block was checked. */
    static int check(byte[] b) {
        int p = 4;
        while (true) {
            if (p + 4 > b.length)
                throw new ValidationException(
                        ErrorCode.TRUNCATED_HEADER, "FLAC stream ended inside its metadata");
            boolean last = (b[p] & 0x80) != 0;
            int type = b[p] & 0x7f;
            int length = (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
            p += 4;
            if (type == INVALID) throw malformed("metadata block of the invalid type 127");
            if ((long) p + length > b.length)
                throw new ValidationException(
                        ErrorCode.TRUNCATED_HEADER,
                        "FLAC metadata block of "
                                + length
                                + " bytes runs past the end of the stream");
            if (type == VORBIS_COMMENT) vorbisComment(b, p, length);
            if (type == PICTURE) picture(b, p, length);
            p += length;
            if (last) return p;
        }
    }

    private static void vorbisComment(byte[] b, int from, int length) {
        long end = (long) from + length;
        long p = from;
        p = skipLittleEndianSized(b, p, end, "vendor string");
        long count = littleEndian(b, p, end, "comment count");
        p += 4;
        for (long i = 0; i < count; i++) p = skipLittleEndianSized(b, p, end, "comment");
    }

    private static void picture(byte[] b, int from, int length) {
        long end = (long) from + length;
        long p = from + 4L; // picture type
        p = skipBigEndianSized(b, p, end, "picture MIME type");
        p = skipBigEndianSized(b, p, end, "picture description");
        p += 16; // width, height, depth, colours
        skipBigEndianSized(b, p, end, "picture data");
    }

    private static long skipLittleEndianSized(byte[] b, long p, long end, String what) {
        long size = littleEndian(b, p, end, what + " length");
        return within(p + 4 + size, end, what);
    }

    private static long skipBigEndianSized(byte[] b, long p, long end, String what) {
        within(p + 4, end, what + " length");
        int i = (int) p;
        long size =
                (long) (b[i] & 0xff) << 24
                        | (b[i + 1] & 0xff) << 16
                        | (b[i + 2] & 0xff) << 8
                        | (b[i + 3] & 0xff);
        return within(p + 4 + size, end, what);
    }

    private static long littleEndian(byte[] b, long p, long end, String what) {
        within(p + 4, end, what);
        int i = (int) p;
        return (b[i] & 0xff)
                | (b[i + 1] & 0xff) << 8
                | (b[i + 2] & 0xff) << 16
                | (long) (b[i + 3] & 0xff) << 24;
    }

    private static long within(long position, long end, String what) {
        if (position > end) throw malformed(what + " runs past the end of its metadata block");
        return position;
    }

    private static ValidationException malformed(String what) {
        return new ValidationException(
                ErrorCode.MALFORMED_AUDIO, "FLAC stream is corrupt: " + what);
    }
}
