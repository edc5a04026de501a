package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioDecoder.DecoderSession;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;

/** Headerless PCM: the sample rate and channels must come with the input (Kafka headers, flags). */
final class RawPcmSession implements DecoderSession {

    private final PcmStream pcm;

    RawPcmSession(EncodingHint hint, long maxDurationSeconds) {
        if (hint.sampleRate() <= 0 || hint.sampleRate() > 768_000) {
            throw new ValidationException(
                    ErrorCode.INVALID_SAMPLE_RATE,
                    "raw "
                            + hint.format()
                            + " needs a sample rate between 1 and 768000 Hz, got "
                            + hint.sampleRate()
                            + "; send the audio.sample-rate header (or --sample-rate)");
        }
        if (hint.channels() <= 0 || hint.channels() > 64) {
            throw new ValidationException(
                    ErrorCode.INVALID_CHANNELS,
                    "raw "
                            + hint.format()
                            + " needs a channel count between 1 and 64, got "
                            + hint.channels()
                            + "; send the audio.channels header (or --channels)");
        }
        AudioFormat format = new AudioFormat(hint.sampleRate(), hint.channels());
        this.pcm =
                new PcmStream(
                        format,
                        SampleEncoding.fromRawName(hint.format()),
                        maxDurationSeconds * hint.sampleRate());
    }

    @Override
    public AudioFormat format() {
        return pcm.format();
    }

    @Override
    public void feed(byte[] data, Consumer<AudioBlock> out) {
        pcm.feed(data, 0, data.length, out);
    }

    @Override
    public void finish(Consumer<AudioBlock> out) {
        if (pcm.framesEmitted() == 0) {
            throw new ValidationException(
                    ErrorCode.EMPTY_AUDIO, "raw PCM input holds no complete audio frame");
        }
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        pcm.writeTo(out);
    }

    static RawPcmSession readFrom(EncodingHint hint, long maxDurationSeconds, DataInput in)
            throws IOException {
        RawPcmSession s = new RawPcmSession(hint, maxDurationSeconds);
        s.pcm.readFrom(in);
        return s;
    }
}
