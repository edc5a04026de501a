package io.audioflow.plugins.codecs;

import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian PCM sample layouts and their conversion to floats in [-1, 1]. */
enum SampleEncoding {
    U8(1),
    S16(2),
    S24(3),
    S32(4),
    F32(4),
    F64(8);

    // Reading whole shorts/ints through a view is ~3x faster than assembling bytes by hand.
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT_LE =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE_LE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    final int bytes;

    SampleEncoding(int bytes) {
        this.bytes = bytes;
    }

    static SampleEncoding fromWav(int formatTag, int bitsPerSample) {
        if (formatTag == 1) {
            switch (bitsPerSample) {
                case 8:
                    return U8;
                case 16:
                    return S16;
                case 24:
                    return S24;
                case 32:
                    return S32;
                default:
                    break;
            }
        } else if (formatTag == 3) {
            if (bitsPerSample == 32) return F32;
            if (bitsPerSample == 64) return F64;
        }
        throw new ValidationException(
                ErrorCode.UNSUPPORTED_FORMAT,
                "WAV sample format tag "
                        + formatTag
                        + " with "
                        + bitsPerSample
                        + " bits is not supported; supported: integer PCM 8/16/24/32-bit and IEEE float 32/64-bit");
    }

    static SampleEncoding fromRawName(String name) {
        return switch (name) {
            case "pcm_s16le" -> S16;
            case "pcm_s24le" -> S24;
            case "pcm_f32le" -> F32;
            default ->
                    throw new ValidationException(
                            ErrorCode.UNSUPPORTED_FORMAT,
                            "raw format `"
                                    + name
                                    + "` is not supported; supported: pcm_s16le, pcm_s24le, pcm_f32le");
        };
    }

    /**
     * Converts {@code count} samples starting at {@code offset}. Float input must be finite: NaN or
     * infinity would poison every metric downstream, so it is refused with the sample's position.
     */
    float[] decode(byte[] src, int offset, int count, long firstSampleIndex) {
        float[] out = new float[count];
        int p = offset;
        switch (this) {
            case U8 -> {
                for (int i = 0; i < count; i++) out[i] = ((src[p++] & 0xFF) - 128) / 128f;
            }
            case S16 -> {
                for (int i = 0; i < count; i++, p += 2)
                    out[i] = (short) SHORT_LE.get(src, p) / 32768f;
            }
            case S24 -> {
                for (int i = 0; i < count; i++, p += 3) {
                    int v = (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8 | src[p + 2] << 16;
                    out[i] = v / 8388608f;
                }
            }
            case S32 -> {
                for (int i = 0; i < count; i++, p += 4)
                    out[i] = (float) ((int) INT_LE.get(src, p) / 2147483648.0);
            }
            case F32 -> {
                for (int i = 0; i < count; i++, p += 4) out[i] = (float) FLOAT_LE.get(src, p);
                checkFinite(out, firstSampleIndex);
            }
            case F64 -> {
                for (int i = 0; i < count; i++, p += 8)
                    out[i] = (float) (double) DOUBLE_LE.get(src, p);
                checkFinite(out, firstSampleIndex);
            }
        }
        return out;
    }

    private static void checkFinite(float[] samples, long firstSampleIndex) {
        for (int i = 0; i < samples.length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new ValidationException(
                        ErrorCode.INVALID_SAMPLES,
                        "sample "
                                + (firstSampleIndex + i)
                                + " is "
                                + samples[i]
                                + "; float audio must be finite");
            }
        }
    }
}
