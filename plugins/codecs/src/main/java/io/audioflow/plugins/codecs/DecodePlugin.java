package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioDecoder;
import io.audioflow.api.ConfigOption;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.ValidationException;
import java.io.DataInput;
import java.io.IOException;
import java.util.List;

/** The built-in decoder: WAV (integer and float PCM, WAVE_FORMAT_EXTENSIBLE) and raw PCM. */
public final class DecodePlugin implements AudioDecoder {

    static final List<String> FORMATS =
            List.of("wav", "flac", "mp3", "pcm_s16le", "pcm_s24le", "pcm_f32le");

    private static final PluginInfo INFO =
            PluginInfo.builder("decode", "1.0.0", StageKind.DECODER)
                    .description(
                            "Decodes WAV, FLAC (jFLAC), MP3 (JLayer) and raw PCM (s16le, s24le, f32le) to float audio")
                    .options(
                            ConfigOption.integer(
                                    "max_duration_s",
                                    7L * 24 * 3600,
                                    1L,
                                    7L * 24 * 3600,
                                    "longest recording decoded, in seconds; a longer one fails with too_large (the job's limits.max_recording_seconds ends one gracefully first)"),
                            ConfigOption.integer(
                                    "max_encoded_mb",
                                    256L,
                                    1L,
                                    4096L,
                                    "largest FLAC or MP3 recording accepted, in MiB (these are decoded whole)"))
                    .build();

    @Override
    public PluginInfo info() {
        return INFO;
    }

    @Override
    public List<String> formats() {
        return FORMATS;
    }

    @Override
    public DecoderSession open(EncodingHint hint, StageContext context) {
        long maxDuration = context.config().getLong("max_duration_s");
        return switch (check(hint)) {
            case "wav" -> new WavSession(maxDuration);
            case "flac", "mp3" -> buffered(hint.format(), context);
            default -> new RawPcmSession(hint, maxDuration);
        };
    }

    private static BufferedSession buffered(String format, StageContext context) {
        WholeStreamDecoder decoder = format.equals("flac") ? new FlacDecoder() : new Mp3Decoder();
        long maxBytes = context.config().getLong("max_encoded_mb") * 1024 * 1024;
        return new BufferedSession(
                decoder,
                format.toUpperCase(java.util.Locale.ROOT),
                maxBytes,
                context.config().getLong("max_duration_s"));
    }

    @Override
    public DecoderSession restore(EncodingHint hint, StageContext context, DataInput in)
            throws IOException {
        long maxDuration = context.config().getLong("max_duration_s");
        return switch (check(hint)) {
            case "wav" -> WavSession.readFrom(maxDuration, in);
            case "flac", "mp3" -> {
                BufferedSession session = buffered(hint.format(), context);
                session.readFrom(in);
                yield session;
            }
            default -> RawPcmSession.readFrom(hint, maxDuration, in);
        };
    }

    private static String check(EncodingHint hint) {
        String format = hint.format() == null ? "" : hint.format();
        if (!FORMATS.contains(format)) {
            throw new ValidationException(
                    ErrorCode.UNSUPPORTED_FORMAT,
                    "format `"
                            + format
                            + "` is not supported by `decode`; supported: "
                            + String.join(", ", FORMATS));
        }
        return format;
    }
}
