package io.audioflow.api;

/**
 * What the producer says about encoded input: a format name ({@code wav}, {@code flac}, {@code
 * mp3}, {@code pcm_s16le}, {@code pcm_s24le}, {@code pcm_f32le}) and, for raw PCM, the sample rate
 * and channel count (zero when not given).
 */
public record EncodingHint(String format, int sampleRate, int channels) {

    public static EncodingHint of(String format) {
        return new EncodingHint(format, 0, 0);
    }
}
