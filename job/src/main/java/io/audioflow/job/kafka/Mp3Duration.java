package io.audioflow.job.kafka;

import java.nio.charset.StandardCharsets;

/**
 * An MP3's duration from its frame headers, for the publisher's progress line: the frames' samples
 * over their rate, less what the decoder drops as ffmpeg does (the Xing/Info frame, which holds no
 * audio, and the encoder's delay and padding that its LAME tag records), so that it says what
 * {@code analyze} will find.
 */
final class Mp3Duration {

    private static final int[][] KBPS = {
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2 layer I
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2 layers II, III
    };
    private static final int[][] RATES = {
        {11025, 12000, 8000}, // MPEG-2.5
        {}, // reserved
        {22050, 24000, 16000}, // MPEG-2
        {44100, 48000, 32000}, // MPEG-1
    };

    private Mp3Duration() {}

    /** Seconds of audio in {@code b}; NaN when it holds no MPEG audio frame. */
    static double seconds(byte[] b) {
        int p = afterId3(b);
        double seconds = 0;
        boolean first = true;
        int frames = 0;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xff) != 0xff || (b[p + 1] & 0xe0) != 0xe0) {
                if (frames > 0) break; // the frames ended (a trailing tag)
                p++;
                continue;
            }
            int version = (b[p + 1] >> 3) & 3;
            int layer = 4 - ((b[p + 1] >> 1) & 3); // 1, 2, 3; 4 is reserved
            int bitrateIndex = (b[p + 2] >> 4) & 15;
            int rateIndex = (b[p + 2] >> 2) & 3;
            if (version == 1
                    || layer == 4
                    || bitrateIndex == 0
                    || bitrateIndex == 15
                    || rateIndex == 3) {
                if (frames > 0) break;
                p++;
                continue;
            }
            boolean mpeg1 = version == 3;
            int kbps = KBPS[mpeg1 ? layer - 1 : layer == 1 ? 3 : 4][bitrateIndex];
            int rate = RATES[version][rateIndex];
            int padding = (b[p + 2] >> 1) & 1;
            int samples = layer == 1 ? 384 : layer == 2 || mpeg1 ? 1152 : 576;
            int length =
                    layer == 1
                            ? (12 * kbps * 1000 / rate + padding) * 4
                            : (samples / 8) * kbps * 1000 / rate + padding;
            int tag = first && layer == 3 ? tagOffset(b, p, Math.min(length, 64)) : -1;
            if (tag < 0) seconds += samples / (double) rate;
            else seconds -= encoderDelayAndPadding(b, tag) / (double) rate;
            first = false;
            frames++;
            p += Math.max(length, 1);
        }
        return frames == 0 ? Double.NaN : seconds;
    }

    private static int afterId3(byte[] b) {
        if (b.length < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return 0;
        int size = (b[6] & 0x7f) << 21 | (b[7] & 0x7f) << 14 | (b[8] & 0x7f) << 7 | (b[9] & 0x7f);
        return 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
    }

    /** Where "Xing" or "Info" stands in the frame's first bytes, or -1. */
    private static int tagOffset(byte[] b, int from, int length) {
        String head =
                new String(b, from, Math.min(length, b.length - from), StandardCharsets.ISO_8859_1);
        int at = Math.max(head.indexOf("Xing"), head.indexOf("Info"));
        return at < 0 ? -1 : from + at;
    }

    /** The LAME tag's delay plus padding after the Xing/Info fields, 0 without one. */
    private static int encoderDelayAndPadding(byte[] b, int tag) {
        if (tag + 8 > b.length) return 0;
        int flags = b[tag + 7] & 0x0f;
        int lame = tag + 8;
        if ((flags & 1) != 0) lame += 4; // frame count
        if ((flags & 2) != 0) lame += 4; // byte count
        if ((flags & 4) != 0) lame += 100; // seek table
        if ((flags & 8) != 0) lame += 4; // quality
        if (lame + 24 > b.length) return 0;
        String encoder = new String(b, lame, 4, StandardCharsets.ISO_8859_1);
        if (!encoder.equals("LAME") && !encoder.equals("Lavc") && !encoder.equals("Lavf")) return 0;
        int d0 = b[lame + 21] & 0xff;
        int d1 = b[lame + 22] & 0xff;
        int d2 = b[lame + 23] & 0xff;
        return (d0 << 4 | d1 >> 4) + ((d1 & 0x0f) << 8 | d2);
    }
}
