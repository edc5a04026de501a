package io.audioflow.job.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.audioflow.api.AudioDecoder;
import io.audioflow.api.AudioflowException;
import io.audioflow.api.EncodingHint;
import io.audioflow.api.StageConfig;
import io.audioflow.api.StageContext;
import io.audioflow.pipeline.definition.PipelineLoader;
import io.audioflow.pipeline.definition.Problems;
import io.audioflow.pipeline.ingest.ChunkParser;
import io.audioflow.pipeline.ingest.IncomingRecord;
import io.audioflow.pipeline.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Everything a producer or a pipeline author can send, fuzzed: the decoders (WAV, FLAC, MP3, raw
 * PCM), the chunk header parser and the YAML pipeline loader. Allowed: a result, or a coded error
 * ({@link AudioflowException}, a dead letter, a validation problem). Anything else, an
 * OutOfMemoryError included, is a finding.
 *
 * <p>Plain {@code mvn verify} runs the committed seeds under {@code HostileInputFuzzTestInputs/};
 * {@code scripts/fuzz} fuzzes each target for a while (see docs/fuzzing.md).
 */
class HostileInputFuzzTest {

    /**
     * One input's time limit: a hang past it is a finding. Jazzer passes it to libFuzzer as {@code
     * -timeout} while fuzzing; replaying the seeds, JUnit enforces it per seed. scripts/fuzz turns
     * JUnit's own timeouts off, since to JUnit a whole fuzzing run is one invocation.
     */
    private static final long PER_INPUT_SECONDS = 10;

    private static final PluginRegistry PLUGINS = PluginRegistry.builtIn();
    private static final AudioDecoder DECODER =
            (AudioDecoder) PLUGINS.versionsOf("decode").get(0).plugin();
    private static final StageContext CONTEXT =
            StageContext.of("decode", StageConfig.withDefaults(Map.of(), DECODER.info().options()));
    private static final ChunkParser PARSER = new ChunkParser(1 << 20);
    private static final PipelineLoader LOADER = new PipelineLoader(PLUGINS, Map.of());

    @FuzzTest(maxDuration = "30s")
    @Timeout(PER_INPUT_SECONDS)
    void wav(FuzzedDataProvider data) {
        decode("wav", 0, 0, data);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(PER_INPUT_SECONDS)
    void flac(FuzzedDataProvider data) {
        decode("flac", 0, 0, data);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(PER_INPUT_SECONDS)
    void mp3(FuzzedDataProvider data) {
        decode("mp3", 0, 0, data);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(PER_INPUT_SECONDS)
    void rawPcm(FuzzedDataProvider data) {
        String format = data.pickValue(new String[] {"pcm_s16le", "pcm_s24le", "pcm_f32le"});
        decode(format, data.consumeInt(1, 192_000), data.consumeInt(1, 8), data);
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(PER_INPUT_SECONDS)
    void chunkHeaders(FuzzedDataProvider data) {
        List<IncomingRecord.Header> headers = new ArrayList<>();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            String key =
                    data.consumeBoolean()
                            ? data.pickValue(
                                    new String[] {
                                        "audio.schema",
                                        "audio.seq",
                                        "audio.last",
                                        "audio.format",
                                        "audio.sample-rate",
                                        "audio.channels",
                                        "audio.meta.x"
                                    })
                            : data.consumeString(40);
            headers.add(
                    new IncomingRecord.Header(
                            key, data.consumeBoolean() ? null : data.consumeBytes(64)));
        }
        byte[] key = data.consumeBoolean() ? null : data.consumeBytes(300);
        byte[] value = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();
        ChunkParser.Parsed parsed =
                PARSER.parse(new IncomingRecord(key, value, headers, "audio.chunks", 0, 0, 0));
        assertThat(parsed.chunk() == null)
                .as("exactly one of chunk and dead letter")
                .isNotEqualTo(parsed.rejected() == null);
        if (parsed.rejected() != null) assertThat(parsed.rejected().code).isNotBlank();
    }

    @FuzzTest(maxDuration = "30s")
    @Timeout(PER_INPUT_SECONDS)
    void pipelineYaml(byte[] yaml) {
        Problems problems = new Problems();
        var result = LOADER.load(yaml, "fuzz.yaml", problems);
        if (result.pipeline().isEmpty())
            assertThat(result.problems().errors()).as("a refused pipeline says why").isNotEmpty();
    }

    /** Feeds the input in pieces of the sizes the fuzzer chooses, then finishes the stream. */
    private static void decode(String format, int rate, int channels, FuzzedDataProvider data) {
        try {
            AudioDecoder.DecoderSession session =
                    DECODER.open(new EncodingHint(format, rate, channels), CONTEXT);
            while (data.remainingBytes() > 0) {
                int piece = data.consumeInt(1, 4096);
                session.feed(data.consumeBytes(piece), block -> {});
            }
            session.finish(block -> {});
        } catch (AudioflowException coded) {
            assertThat(coded.code()).isNotNull();
        }
    }
}
