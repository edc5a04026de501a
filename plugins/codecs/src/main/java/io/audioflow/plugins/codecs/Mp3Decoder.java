package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.io.ByteArrayInputStream;
import java.util.function.Consumer;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MPEG-1/2 layer I-III through JLayer. The decoder's output is 16-bit; its first frame's rate and
 * channels hold for the stream (a change mid-stream is refused: no analysis can span it).
 */
final class Mp3Decoder implements WholeStreamDecoder {

    @Override
    public void decode(byte[] bytes, Consumer<AudioBlock> out) {
        Bitstream bitstream = new Bitstream(new ByteArrayInputStream(bytes));
        Decoder decoder = new Decoder();
        AudioFormat format = null;
        long frame = 0;
        try {
            for (Header header = bitstream.readFrame();
                    header != null;
                    header = bitstream.readFrame()) {
                SampleBuffer buffer = (SampleBuffer) decoder.decodeFrame(header, bitstream);
                AudioFormat f =
                        new AudioFormat(buffer.getSampleFrequency(), buffer.getChannelCount());
                if (format == null) {
                    format = f;
                } else if (!format.equals(f)) {
                    throw new ValidationException(
                            ErrorCode.MALFORMED_AUDIO,
                            "MP3 stream changes from " + format + " to " + f + " mid-stream");
                }
                short[] pcm = buffer.getBuffer();
                int n = buffer.getBufferLength();
                float[] samples = new float[n];
                for (int i = 0; i < n; i++) samples[i] = pcm[i] / 32768f;
                out.accept(new AudioBlock(format, frame, samples));
                frame += n / format.channels();
                bitstream.closeFrame();
            }
        } catch (BitstreamException | DecoderException | ArrayIndexOutOfBoundsException e) {
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO, "MP3 stream is corrupt: " + e.getMessage(), e);
        }
        if (format == null) {
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO,
                    "no MPEG audio frame found; set the format to the audio's real encoding");
        }
    }
}
