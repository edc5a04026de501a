package io.audioflow.operators.testing;

import io.audioflow.api.AudioDecoder;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.PluginInfo;
import io.audioflow.api.StageContext;
import io.audioflow.api.StageKind;
import io.audioflow.api.ValidationException;
import java.io.DataInput;
import java.util.List;

/** A test decoder that knows no format at all, as a decoder without some codec would. */
public final class BrokenDecoder implements AudioDecoder {

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("broken-decoder", "1.0.0", StageKind.DECODER).build();
    }

    @Override
    public List<String> formats() {
        return List.of();
    }

    @Override
    public DecoderSession open(EncodingHint hint, StageContext context) {
        throw new ValidationException(
                ErrorCode.UNSUPPORTED_FORMAT, "broken-decoder cannot decode " + hint.format());
    }

    @Override
    public DecoderSession restore(EncodingHint hint, StageContext context, DataInput in) {
        return open(hint, context);
    }
}
