package io.audioflow.api.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real recordings that Debian packages ship and that this repository may not (their licences keep
 * them out): a test that needs one aborts when it is missing, except in CI, where .ci/run installs
 * them and a missing file is a failure.
 */
public final class Recordings {

    /** codec2's reference speech recording, 16 kHz 16-bit mono (Debian's codec2-examples). */
    public static final Path CODEC2_SPEECH = Path.of("/usr/share/codec2/raw/speech_orig_16k.wav");

    private Recordings() {}

    /** The samples of a 16-bit mono PCM WAV file, scaled to [-1, 1). */
    public static float[] monoPcm16(Path wavFile) throws IOException {
        if (!Files.isReadable(wavFile)) {
            String advice =
                    wavFile
                            + " is missing; install the Debian package that ships it (.ci/run does)";
            if ("true".equals(System.getenv("CI"))) throw new AssertionError(advice);
            Assumptions.abort(advice);
        }
        byte[] wav = Files.readAllBytes(wavFile);
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int data = 12;
        while (!new String(wav, data, 4, StandardCharsets.US_ASCII).equals("data"))
            data += 8 + b.getInt(data + 4);
        int n = b.getInt(data + 4) / 2;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = b.getShort(data + 8 + 2 * i) / 32768f;
        return x;
    }
}
