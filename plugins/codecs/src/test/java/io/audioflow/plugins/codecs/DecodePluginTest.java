package io.audioflow.plugins.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.audioflow.api.AudioBlock;
import io.audioflow.api.AudioDecoder.DecoderSession;
import io.audioflow.api.AudioFormat;
import io.audioflow.api.AudioflowException;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.ErrorCode;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecodePluginTest {

    private final DecodePlugin plugin = new DecodePlugin();
    private final StageContext context =
            StageContext.of(
                    "decode",
                    StageConfig.withDefaults(java.util.Map.of(), plugin.info().options()));

    private record Decoded(AudioFormat format, float[] samples) {}

    private Decoded decode(String format, byte[] bytes, int pieceSize) {
        return decode(new EncodingHint(format, 0, 0), bytes, pieceSize);
    }

    private Decoded decode(EncodingHint hint, byte[] bytes, int pieceSize) {
        DecoderSession session = plugin.open(hint, context);
        List<AudioBlock> blocks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += pieceSize) {
            session.feed(
                    Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + pieceSize)),
                    blocks::add);
        }
        session.finish(blocks::add);
        int total = blocks.stream().mapToInt(b -> b.samples().length).sum();
        float[] all = new float[total];
        int p = 0;
        long expectedStart = 0;
        for (AudioBlock b : blocks) {
            assertThat(b.startFrame()).isEqualTo(expectedStart);
            expectedStart += b.frames();
            System.arraycopy(b.samples(), 0, all, p, b.samples().length);
            p += b.samples().length;
        }
        return new Decoded(session.format(), all);
    }

    @Test
    void decodes16BitPcmToFullScaleFloats() {
        byte[] wav =
                WavBytes.pcm16(16_000, 1, (short) 0, (short) 16384, (short) -32768, (short) 32767)
                        .build();
        Decoded d = decode("wav", wav, wav.length);
        assertThat(d.format()).isEqualTo(new AudioFormat(16_000, 1));
        assertThat(d.samples()).containsExactly(0f, 0.5f, -1f, 32767f / 32768f);
    }

    @ParameterizedTest(name = "fed {0} byte(s) at a time")
    @ValueSource(ints = {1, 3, 7, 44, 1000})
    void decodesTheSameWhateverTheByteBoundaries(int pieceSize) {
        short[] samples = new short[600];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (i * 37 - 9000);
        byte[] wav = WavBytes.pcm16(8_000, 2, samples).withListChunk().build();
        assertThat(decode("wav", wav, pieceSize).samples())
                .isEqualTo(decode("wav", wav, wav.length).samples());
    }

    @Test
    void decodes24And32BitIntegerAnd8BitUnsigned() {
        byte[] s24 = {0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0x3F}; // -1.0, 0.5 - 2^-23
        assertThat(decode("wav", new WavBytes().format(1, 24, s24).build(), 100).samples())
                .containsExactly(-1f, (float) (0x3FFFFF / 8388608.0));
        byte[] s32 =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(Integer.MIN_VALUE)
                        .putInt(1 << 30)
                        .array();
        assertThat(decode("wav", new WavBytes().format(1, 32, s32).build(), 100).samples())
                .containsExactly(-1f, 0.5f);
        byte[] u8 = {0, (byte) 128, (byte) 192};
        assertThat(decode("wav", new WavBytes().format(1, 8, u8).build(), 100).samples())
                .containsExactly(-1f, 0f, 0.5f);
    }

    @Test
    void decodesFloat32And64IncludingExtensibleHeaders() {
        byte[] f32 =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(0.25f)
                        .putFloat(-0.75f)
                        .array();
        assertThat(decode("wav", new WavBytes().format(3, 32, f32).build(), 5).samples())
                .containsExactly(0.25f, -0.75f);
        byte[] f64 =
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putDouble(0.125)
                        .putDouble(-1)
                        .array();
        assertThat(
                        decode("wav", new WavBytes().format(3, 64, f64).extensible().build(), 5)
                                .samples())
                .containsExactly(0.125f, -1f);
        byte[] s16 = {0, 0x40, 0, (byte) 0xC0};
        Decoded ext =
                decode(
                        "wav",
                        new WavBytes().format(1, 16, s16).channels(2).extensible().build(),
                        3);
        assertThat(ext.format().channels()).isEqualTo(2);
        assertThat(ext.samples()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void decodesWhatIsPresentWhenTheDataSizeClaimsMore() {
        byte[] wav =
                WavBytes.pcm16(16_000, 1, (short) 100, (short) 200, (short) 300)
                        .declaredDataSize(0x7FFFF000L)
                        .build();
        assertThat(decode("wav", wav, 4).samples()).hasSize(3);
    }

    @Test
    void keepsDecodingAfterItsStateIsWrittenAndReadBack() throws Exception {
        short[] samples = new short[100];
        for (int i = 0; i < samples.length; i++) samples[i] = (short) (i * 300);
        byte[] wav = WavBytes.pcm16(16_000, 1, samples).build();
        EncodingHint hint = EncodingHint.of("wav");
        DecoderSession session = plugin.open(hint, context);
        List<AudioBlock> blocks = new ArrayList<>();
        int split = 51; // inside the data chunk, mid-sample
        session.feed(Arrays.copyOfRange(wav, 0, split), blocks::add);
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        session.writeTo(new DataOutputStream(state));
        DecoderSession restored =
                plugin.restore(
                        hint,
                        context,
                        new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
        restored.feed(Arrays.copyOfRange(wav, split, wav.length), blocks::add);
        restored.finish(blocks::add);
        float[] all = new float[100];
        int p = 0;
        for (AudioBlock b : blocks) {
            System.arraycopy(b.samples(), 0, all, p, b.samples().length);
            p += b.samples().length;
        }
        assertThat(p).isEqualTo(100);
        assertThat(all[99]).isCloseTo(99 * 300 / 32768f, within(1e-7f));
    }

    @Test
    void decodesRawPcmWithRateAndChannelsFromTheHint() {
        byte[] raw =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(0.5f)
                        .putFloat(-0.5f)
                        .array();
        Decoded d = decode(new EncodingHint("pcm_f32le", 48_000, 2), raw, 3);
        assertThat(d.format()).isEqualTo(new AudioFormat(48_000, 2));
        assertThat(d.samples()).containsExactly(0.5f, -0.5f);
        byte[] s24 = {0, 0, 0x40};
        assertThat(decode(new EncodingHint("pcm_s24le", 8_000, 1), s24, 1).samples())
                .containsExactly(0.5f);
    }

    private static ErrorCode codeOf(Runnable action) {
        try {
            action.run();
        } catch (AudioflowException e) {
            return e.code();
        }
        throw new AssertionError("expected a decoder error");
    }

    @Test
    void everyMalformedInputHasItsOwnErrorCode() {
        byte[] good = WavBytes.pcm16(16_000, 1, (short) 1, (short) 2).build();
        assertThat(codeOf(() -> decode("wav", Arrays.copyOf(good, 20), 7)))
                .isEqualTo(ErrorCode.TRUNCATED_HEADER);
        assertThat(codeOf(() -> decode("wav", Arrays.copyOf(good, 40), 7)))
                .isEqualTo(ErrorCode.TRUNCATED_HEADER);
        assertThat(codeOf(() -> decode("wav", new WavBytes().channels(0).build(), 64)))
                .isEqualTo(ErrorCode.INVALID_CHANNELS);
        assertThat(codeOf(() -> decode("wav", new WavBytes().sampleRate(0).build(), 64)))
                .isEqualTo(ErrorCode.INVALID_SAMPLE_RATE);
        assertThat(codeOf(() -> decode("wav", new WavBytes().sampleRate(-1).build(), 64)))
                .isEqualTo(ErrorCode.INVALID_SAMPLE_RATE);
        assertThat(
                        codeOf(
                                () ->
                                        decode(
                                                "wav",
                                                new WavBytes().format(1, 12, new byte[4]).build(),
                                                64)))
                .isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(
                        codeOf(
                                () ->
                                        decode(
                                                "wav",
                                                new WavBytes().format(85, 16, new byte[4]).build(),
                                                64)))
                .isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(codeOf(() -> decode("wav", WavBytes.pcm16(16_000, 1).build(), 64)))
                .isEqualTo(ErrorCode.EMPTY_AUDIO);
        assertThat(codeOf(() -> decode("wav", "OggS0000WAVEfmt ".getBytes(), 64)))
                .isEqualTo(ErrorCode.MALFORMED_AUDIO);
        byte[] nan =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(0.1f)
                        .putFloat(Float.NaN)
                        .array();
        assertThat(codeOf(() -> decode("wav", new WavBytes().format(3, 32, nan).build(), 64)))
                .isEqualTo(ErrorCode.INVALID_SAMPLES);
        byte[] inf =
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putDouble(Double.NEGATIVE_INFINITY)
                        .array();
        assertThat(codeOf(() -> decode("wav", new WavBytes().format(3, 64, inf).build(), 64)))
                .isEqualTo(ErrorCode.INVALID_SAMPLES);
        assertThat(codeOf(() -> decode("ogg", new byte[10], 64)))
                .isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
        assertThat(codeOf(() -> decode("flac", new byte[10], 64)))
                .isEqualTo(ErrorCode.MALFORMED_AUDIO);
        assertThat(codeOf(() -> decode("mp3", new byte[1000], 64)))
                .isEqualTo(ErrorCode.MALFORMED_AUDIO);
        assertThat(codeOf(() -> decode("flac", new byte[0], 64))).isEqualTo(ErrorCode.EMPTY_AUDIO);
        assertThat(codeOf(() -> decode(new EncodingHint("pcm_s16le", 0, 1), new byte[4], 4)))
                .isEqualTo(ErrorCode.INVALID_SAMPLE_RATE);
        assertThat(codeOf(() -> decode(new EncodingHint("pcm_s16le", 16_000, 0), new byte[4], 4)))
                .isEqualTo(ErrorCode.INVALID_CHANNELS);
        assertThat(codeOf(() -> decode(new EncodingHint("pcm_s16le", 16_000, 1), new byte[1], 4)))
                .isEqualTo(ErrorCode.EMPTY_AUDIO);
    }

    @Test
    void aRecordingLongerThanTheLimitFailsWithTooLargeInsteadOfExhaustingMemory() {
        StageContext oneSecond =
                StageContext.of("decode", StageConfig.of(java.util.Map.of("max_duration_s", 1L)));
        DecoderSession session = plugin.open(new EncodingHint("pcm_s16le", 8_000, 1), oneSecond);
        session.feed(new byte[16_000], b -> {});
        assertThatThrownBy(() -> session.feed(new byte[2], b -> {}))
                .isInstanceOf(AudioflowException.class)
                .hasMessageContaining("max_duration_s")
                .extracting(e -> ((AudioflowException) e).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void theHeaderCannotMakeTheDecoderAllocateWhatItDeclares() {
        // A fmt chunk that claims 2 GB is refused; a skipped chunk that claims 4 GB is skipped
        // lazily.
        byte[] header =
                ByteBuffer.allocate(20)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .put("RIFF".getBytes())
                        .putInt(-1)
                        .put("WAVE".getBytes())
                        .put("fmt ".getBytes())
                        .putInt(Integer.MAX_VALUE)
                        .array();
        assertThat(codeOf(() -> decode("wav", header, 64))).isEqualTo(ErrorCode.MALFORMED_AUDIO);
        byte[] junk =
                ByteBuffer.allocate(24)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .put("RIFF".getBytes())
                        .putInt(-1)
                        .put("WAVE".getBytes())
                        .put("junk".getBytes())
                        .putInt(-1)
                        .putInt(0)
                        .array();
        assertThat(codeOf(() -> decode("wav", junk, 64))).isEqualTo(ErrorCode.TRUNCATED_HEADER);
    }
}
