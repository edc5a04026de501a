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

    static final List<String> FORMATS = List.of("wav", "pcm_s16le", "pcm_s24le", "pcm_f32le");

    private static final PluginInfo INFO =
            PluginInfo.builder("decode", "1.0.0", StageKind.DECODER)
                    .description(
                            "Decodes WAV and raw PCM (s16le, s24le, f32le) to float audio, incrementally")
                    .options(
                            ConfigOption.integer(
                                    "max_duration_s",
                                    4L * 3600,
                                    1L,
                                    7L * 24 * 3600,
                                    "longest recording accepted, in seconds; longer ones fail with too_large"))
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
            default -> new RawPcmSession(hint, maxDuration);
        };
    }

    @Override
    public DecoderSession restore(EncodingHint hint, StageContext context, DataInput in)
            throws IOException {
        long maxDuration = context.config().getLong("max_duration_s");
        return switch (check(hint)) {
            case "wav" -> WavSession.readFrom(maxDuration, in);
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
