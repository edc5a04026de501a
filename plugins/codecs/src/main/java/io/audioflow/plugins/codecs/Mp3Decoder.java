package io.audioflow.plugins.codecs;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.ValidationException;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MPEG-1/2 layer I-III through JLayer. The decoder's output is 16-bit; its first frame's rate and
 * channels hold for the stream (a change mid-stream is refused: no analysis can span it). Gapless,
 * as ffmpeg decodes: a Xing/Info tag frame is dropped, and so are the encoder delay and padding its
 * LAME tag records ({@link Mp3Gapless}); without a tag, every decoded sample is kept.
 */
final class Mp3Decoder implements WholeStreamDecoder {

    @Override
    public void decode(byte[] bytes, Consumer<AudioBlock> out) {
        Bitstream bitstream = new Bitstream(new ByteArrayInputStream(bytes));
        Decoder decoder = new Decoder();
        Optional<Mp3Gapless> gapless = Mp3Gapless.of(bytes);
        boolean tagFrame = gapless.isPresent();
        GaplessTrim trim = null;
        AudioFormat format = null;
        try {
            for (Header header = bitstream.readFrame();
                    header != null;
                    header = bitstream.readFrame()) {
                SampleBuffer buffer = (SampleBuffer) decoder.decodeFrame(header, bitstream);
                AudioFormat f =
                        new AudioFormat(buffer.getSampleFrequency(), buffer.getChannelCount());
                if (format == null) {
                    format = f;
                    trim =
                            new GaplessTrim(
                                    format,
                                    gapless.map(Mp3Gapless::skipFrames).orElse(0L),
                                    gapless.map(Mp3Gapless::trimFrames).orElse(0),
                                    out);
                } else if (!format.equals(f)) {
                    throw new ValidationException(
                            ErrorCode.MALFORMED_AUDIO,
                            "MP3 stream changes from " + format + " to " + f + " mid-stream");
                }
                bitstream.closeFrame();
                if (tagFrame) {
                    tagFrame = false; // the Xing/Info frame: no audio
                    continue;
                }
                short[] pcm = buffer.getBuffer();
                int n = buffer.getBufferLength();
                float[] samples = new float[n];
                for (int i = 0; i < n; i++) samples[i] = pcm[i] / 32768f;
                trim.accept(samples);
            }
        } catch (ValidationException e) {
            throw e;
        } catch (BitstreamException | DecoderException | RuntimeException e) {
            // JLayer trusts the stream: a crafted frame ends in its arithmetic or array indexing
            // (division by zero, out-of-bounds), which are the stream's fault, not ours.
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO, "MP3 stream is corrupt: " + e.getMessage(), e);
        }
        if (format == null) {
            throw new ValidationException(
                    ErrorCode.MALFORMED_AUDIO,
                    "no MPEG audio frame found; set the format to the audio's real encoding");
        }
        trim.finish();
    }

    /**
     * Drops {@code skip} sample frames from the start and {@code trim} from the end of what it is
     * given, holding back only as many blocks as the end trim needs.
     */
    private static final class GaplessTrim {
        private final AudioFormat format;
        private final int channels;
        private final int trim;
        private final Consumer<AudioBlock> out;
        private final ArrayDeque<float[]> held = new ArrayDeque<>();
        private long skip;
        private long heldFrames;
        private long frame;

        GaplessTrim(AudioFormat format, long skip, int trim, Consumer<AudioBlock> out) {
            this.format = format;
            this.channels = format.channels();
            this.skip = skip;
            this.trim = trim;
            this.out = out;
        }

        void accept(float[] samples) {
            int frames = samples.length / channels;
            if (skip > 0) {
                int skipped = (int) Math.min(skip, frames);
                skip -= skipped;
                if (skipped == frames) return;
                samples = Arrays.copyOfRange(samples, skipped * channels, samples.length);
                frames -= skipped;
            }
            held.add(samples);
            heldFrames += frames;
            while (!held.isEmpty() && heldFrames - held.peek().length / channels >= trim) {
                float[] block = held.poll();
                heldFrames -= block.length / channels;
                emit(block);
            }
        }

        void finish() {
            long keep = heldFrames - trim;
            for (float[] block : held) {
                int frames = block.length / channels;
                if (keep <= 0) break;
                emit(frames <= keep ? block : Arrays.copyOf(block, (int) keep * channels));
                keep -= frames;
            }
            held.clear();
        }

        private void emit(float[] samples) {
            out.accept(new AudioBlock(format, frame, samples));
            frame += samples.length / channels;
        }
    }
}
