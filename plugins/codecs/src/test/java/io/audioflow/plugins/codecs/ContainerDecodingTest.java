package io.audioflow.plugins.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioDecoder.DecoderSession;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FLAC and MP3 files under test-data/audio, made by scripts/make-encoded-test-audio.sh. */
class ContainerDecodingTest {

    private static final Path AUDIO = Path.of("../../test-data/audio");
    private final DecodePlugin plugin = new DecodePlugin();
    private final StageContext context =
            StageContext.of("decode", StageConfig.withDefaults(Map.of(), plugin.info().options()));

    private record Decoded(AudioFormat format, float[] samples) {}

    /**
     * Feeds the file in 4 KiB pieces, with the session's state written and read back between them.
     */
    private Decoded decode(String format, String file) throws Exception {
        byte[] bytes = Files.readAllBytes(AUDIO.resolve(file));
        EncodingHint hint = EncodingHint.of(format);
        DecoderSession session = plugin.open(hint, context);
        List<AudioBlock> blocks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 4096) {
            session.feed(
                    Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 4096)), blocks::add);
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            session.writeTo(new DataOutputStream(state));
            session =
                    plugin.restore(
                            hint,
                            context,
                            new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
        }
        session.finish(blocks::add);
        float[] all = new float[blocks.stream().mapToInt(b -> b.samples().length).sum()];
        int p = 0;
        for (AudioBlock b : blocks) {
            System.arraycopy(b.samples(), 0, all, p, b.samples().length);
            p += b.samples().length;
        }
        return new Decoded(session.format(), all);
    }

    private static double rmsDb(float[] x) {
        double ss = 0;
        for (float v : x) ss += (double) v * v;
        return 10 * Math.log10(ss / x.length);
    }

    @Test
    void flacDecodesToExactlyTheSamplesOfTheWavItWasMadeFrom() throws Exception {
        Decoded flac = decode("flac", "sine-1k-16k-mono.flac");
        Decoded wav = decode("wav", "sine-1k-16k-mono.wav");
        assertThat(flac.format()).isEqualTo(new AudioFormat(16_000, 1));
        assertThat(flac.samples()).isEqualTo(wav.samples());
    }

    @Test
    void flacKeepsRateAndChannels() throws Exception {
        Decoded flac = decode("flac", "speechlike-22k-stereo.flac");
        assertThat(flac.format()).isEqualTo(new AudioFormat(22_050, 2));
        assertThat(flac.samples()).hasSize(2 * 66_150);
    }

    @Test
    void mp3DecodesGaplessToTheLengthAndAlignmentOfTheWavItWasMadeFrom() throws Exception {
        Decoded mp3 = decode("mp3", "sine-1k-16k-mono.mp3");
        Decoded wav = decode("wav", "sine-1k-16k-mono.wav");
        assertThat(mp3.format()).isEqualTo(new AudioFormat(16_000, 1));
        // The LAME tag says: encoder delay 576, padding 832. Dropping the tag frame, 576 + 529
        // samples at the start and 832 - 529 at the end leaves the 32 000 samples encoded.
        assertThat(Mp3Gapless.of(Files.readAllBytes(AUDIO.resolve("sine-1k-16k-mono.mp3"))))
                .contains(new Mp3Gapless(576, 832));
        assertThat(mp3.samples()).hasSize(wav.samples().length);
        // Aligned to the sample: the coding error is smallest with no shift (64 kbit/s: about
        // 30 dB under the signal), and a one-sample shift of a 1 kHz tone at 16 kHz is far worse.
        double aligned = errorDb(mp3.samples(), wav.samples(), 0);
        assertThat(aligned).isLessThan(-30);
        assertThat(errorDb(mp3.samples(), wav.samples(), 1)).isGreaterThan(aligned + 10);
        assertThat(errorDb(mp3.samples(), wav.samples(), -1)).isGreaterThan(aligned + 10);
        // ffmpeg reads -9.477 dB RMS from 0.25 s to 1.75 s of this file (the 64 kbit/s encoding
        // lost 0.45 dB of the -9.03 dB sine); JLayer must agree with it to 0.05 dB.
        float[] middle = Arrays.copyOfRange(mp3.samples(), 4000, 28_000);
        assertThat(rmsDb(middle)).isCloseTo(-9.477, within(0.05));
    }

    /** RMS of (a shifted by {@code shift}) − b over the middle second, in dB. */
    private static double errorDb(float[] a, float[] b, int shift) {
        double ss = 0;
        int n = 0;
        for (int i = 8000; i < 24_000; i++, n++) {
            double d = a[i + shift] - b[i];
            ss += d * d;
        }
        return 10 * Math.log10(ss / n);
    }

    @Test
    void anMp3WithoutATagKeepsEverySample() {
        byte[] noTag = {(byte) 0xff, (byte) 0xf3, (byte) 0x88, (byte) 0xc4, 0, 0, 0, 0};
        assertThat(Mp3Gapless.of(noTag)).isEmpty();
        assertThat(Mp3Gapless.of(new byte[0])).isEmpty();
        assertThat(Mp3Gapless.of("ID3\3\0\0\0\0\0\7".getBytes())).isEmpty();
    }
}
