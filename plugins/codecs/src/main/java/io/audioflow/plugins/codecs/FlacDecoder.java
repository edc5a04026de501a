package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.Consumer;
import org.jflac.FLACDecoder;
import org.jflac.FrameListener;
import org.jflac.PCMProcessor;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/** FLAC through jFLAC: its PCM output is little-endian integer samples, as WAV's. */
final class FlacDecoder implements WholeStreamDecoder {

    @Override
    public void decode(byte[] bytes, Consumer<AudioBlock> out) {
        if (bytes.length < 4
                || bytes[0] != 'f'
                || bytes[1] != 'L'
                || bytes[2] != 'a'
                || bytes[3] != 'C') {
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO,
                    "not a FLAC stream (no `fLaC` marker); set the format to the audio's real encoding");
        }
        FLACDecoder decoder =
                new FLACDecoder(new ByteArrayInputStream(FlacMetadataCheck.audioOnly(bytes)));
        PcmCollector collector = new PcmCollector(out);
        decoder.addPCMProcessor(collector);
        decoder.addFrameListener(new StuckDecoderGuard(decoder));
        try {
            decoder.decode();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ValidationException v) throw v;
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO, "FLAC stream is corrupt: " + e.getMessage(), e);
        }
        if (collector.pcm == null) {
            throw new ValidationException(
                    ErrorCode.TRUNCATED_HEADER, "FLAC stream ended before its STREAMINFO block");
        }
    }

    /**
     * jFLAC resynchronises after a bad frame header in a loop that, on some crafted streams, reads
     * nothing more and never ends (found by HostileInputFuzzTest): one message would hold its
     * subtask, and every recording behind it, forever. jFLAC reports each bad frame here; many in a
     * row without a byte read means it is stuck.
     */
    private static final class StuckDecoderGuard implements FrameListener {
        private static final int MAX_ERRORS_WITHOUT_PROGRESS = 1_000;
        private final FLACDecoder decoder;
        private long bytesAtLastError = -1;
        private int errorsWithoutProgress;

        StuckDecoderGuard(FLACDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void processError(String message) {
            long read = decoder.getTotalBytesRead();
            errorsWithoutProgress = read == bytesAtLastError ? errorsWithoutProgress + 1 : 0;
            bytesAtLastError = read;
            if (errorsWithoutProgress >= MAX_ERRORS_WITHOUT_PROGRESS)
                throw new ValidationException(
                        ErrorCode.MALFORMED_AUDIO,
                        "FLAC stream is corrupt: no decodable frame after byte "
                                + read
                                + " ("
                                + message
                                + ")");
        }

        @Override
        public void processMetadata(org.jflac.metadata.Metadata metadata) {}

        @Override
        public void processFrame(org.jflac.frame.Frame frame) {}
    }

    private static final class PcmCollector implements PCMProcessor {
        private final Consumer<AudioBlock> out;
        private PcmStream pcm;

        PcmCollector(Consumer<AudioBlock> out) {
            this.out = out;
        }

        @Override
        public void processStreamInfo(StreamInfo info) {
            if (info.getChannels() < 1 || info.getSampleRate() < 1) {
                throw new ValidationException(
                        ErrorCode.MALFORMED_AUDIO,
                        "FLAC STREAMINFO declares "
                                + info.getChannels()
                                + " channels at "
                                + info.getSampleRate()
                                + " Hz");
            }
            SampleEncoding encoding =
                    switch (info.getBitsPerSample()) {
                        case 8 -> SampleEncoding.U8;
                        case 16 -> SampleEncoding.S16;
                        case 24 -> SampleEncoding.S24;
                        case 32 -> SampleEncoding.S32;
                        default ->
                                throw new ValidationException(
                                        ErrorCode.UNSUPPORTED_FORMAT,
                                        "FLAC with "
                                                + info.getBitsPerSample()
                                                + " bits per sample is not supported; supported: 8, 16, 24, 32");
                    };
            pcm =
                    new PcmStream(
                            new AudioFormat(info.getSampleRate(), info.getChannels()),
                            encoding,
                            Long.MAX_VALUE);
        }

        @Override
        public void processPCM(ByteData data) {
            if (pcm == null)
                throw new ValidationException(
                        ErrorCode.MALFORMED_AUDIO, "FLAC audio frame before STREAMINFO");
            pcm.feed(data.getData(), 0, data.getLen(), out);
        }
    }
}
