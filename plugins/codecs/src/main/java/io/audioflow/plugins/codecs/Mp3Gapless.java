package io.audioflow.plugins.codecs;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Xing/Info frame encoders put first in an MP3 stream, and the encoder delay and padding its
 * LAME tag records (LAME, and ffmpeg's "Lavc"/"Lavf", write it). The frame carries no audio, and
 * the delay and padding are samples the encoder added: players and ffmpeg drop all three, so a
 * decoded MP3 has the length and alignment of the audio that was encoded.
 *
 * @param encoderDelay samples the encoder put before the audio (0 without a LAME tag)
 * @param padding samples it put after, to fill the last frame (0 without a LAME tag)
 */
record Mp3Gapless(int encoderDelay, int padding) {

    /** The delay of the standard MPEG layer III synthesis, which every conforming decoder adds. */
    static final int DECODER_DELAY = 529;

    /** Where the first frame starts (after an ID3v2 tag), or -1 when there is no frame sync. */
    static int firstFrame(byte[] b) {
        int p = 0;
        if (b.length >= 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            int size =
                    (b[6] & 0x7f) << 21 | (b[7] & 0x7f) << 14 | (b[8] & 0x7f) << 7 | (b[9] & 0x7f);
            p = 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
        }
        for (; p + 1 < b.length; p++) {
            if ((b[p] & 0xff) == 0xff && (b[p + 1] & 0xe0) == 0xe0) return p;
        }
        return -1;
    }

    /**
     * The tag of the stream's first frame; empty when the first frame is audio (no Xing/Info
     * frame). A tag frame without a LAME extension gives delay and padding 0.
     */
    static Optional<Mp3Gapless> of(byte[] b) {
        int p = firstFrame(b);
        if (p < 0 || p + 4 > b.length) return Optional.empty();
        int version = (b[p + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        int layer = (b[p + 1] >> 1) & 3; // 1: layer III
        if (layer != 1 || version == 1) return Optional.empty();
        boolean crc = (b[p + 1] & 1) == 0;
        boolean mono = ((b[p + 3] >> 6) & 3) == 3;
        int sideInfo = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int xing = p + 4 + (crc ? 2 : 0) + sideInfo;
        if (!at(b, xing, "Xing") && !at(b, xing, "Info")) return Optional.empty();
        if (xing + 8 > b.length) return Optional.of(new Mp3Gapless(0, 0));
        int flags =
                (b[xing + 4] & 0xff) << 24
                        | (b[xing + 5] & 0xff) << 16
                        | (b[xing + 6] & 0xff) << 8
                        | (b[xing + 7] & 0xff);
        int lame = xing + 8;
        if ((flags & 1) != 0) lame += 4; // frame count
        if ((flags & 2) != 0) lame += 4; // byte count
        if ((flags & 4) != 0) lame += 100; // seek table
        if ((flags & 8) != 0) lame += 4; // quality
        if (lame + 24 > b.length
                || !(at(b, lame, "LAME") || at(b, lame, "Lavc") || at(b, lame, "Lavf")))
            return Optional.of(new Mp3Gapless(0, 0));
        int d0 = b[lame + 21] & 0xff;
        int d1 = b[lame + 22] & 0xff;
        int d2 = b[lame + 23] & 0xff;
        return Optional.of(new Mp3Gapless(d0 << 4 | d1 >> 4, (d1 & 0x0f) << 8 | d2));
    }

    private static boolean at(byte[] b, int offset, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        if (offset < 0 || offset + t.length > b.length) return false;
        for (int i = 0; i < t.length; i++) if (b[offset + i] != t[i]) return false;
        return true;
    }

    /** Sample frames to drop after the tag frame: what the encoder and the decoder put first. */
    long skipFrames() {
        return encoderDelay == 0 && padding == 0 ? 0 : encoderDelay + DECODER_DELAY;
    }

    /** Sample frames to drop at the end: the encoder's padding, less the decoder's delay. */
    int trimFrames() {
        return Math.max(0, padding - DECODER_DELAY);
    }
}
