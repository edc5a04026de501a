package io.audioflow.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkParserTest {

    private final ChunkParser parser = new ChunkParser(1024);

    private static IncomingRecord.Header h(String key, String value) {
        return new IncomingRecord.Header(
                key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<IncomingRecord.Header> goodHeaders() {
        return new ArrayList<>(
                List.of(
                        h("audio.schema", "1"),
                        h("audio.seq", "3"),
                        h("audio.last", "false"),
                        h("audio.format", "pcm_s16le"),
                        h("audio.sample-rate", "16000"),
                        h("audio.channels", "1")));
    }

    private static IncomingRecord record(
            byte[] key, byte[] value, List<IncomingRecord.Header> headers) {
        return new IncomingRecord(key, value, headers, "audio.chunks", 2, 41, 1_700_000_000_000L);
    }

    @Test
    void parsesAValidChunkWithItsMetadataAndOrigin() {
        List<IncomingRecord.Header> headers = goodHeaders();
        headers.add(h("audio.meta.speaker", "alice"));
        headers.add(h("trace-id", "x"));
        ChunkParser.Parsed p = parser.parse(record("rec-1".getBytes(), new byte[100], headers));
        EncodedChunk c = p.chunk();
        assertThat(p.rejected()).isNull();
        assertThat(c.recordingId).isEqualTo("rec-1");
        assertThat(c.seq).isEqualTo(3);
        assertThat(c.last).isFalse();
        assertThat(c.format).isEqualTo("pcm_s16le");
        assertThat(c.sampleRate).isEqualTo(16_000);
        assertThat(c.channels).isEqualTo(1);
        assertThat(c.metadata).containsEntry("speaker", "alice").hasSize(1);
        assertThat(c.topic).isEqualTo("audio.chunks");
        assertThat(c.partition).isEqualTo(2);
        assertThat(c.offset).isEqualTo(41);
        assertThat(c.headerKeys).contains("trace-id");
    }

    @Test
    void containerFormatsNeedNoRateOrChannels() {
        List<IncomingRecord.Header> headers =
                new ArrayList<>(
                        List.of(
                                h("audio.schema", "1"),
                                h("audio.seq", "0"),
                                h("audio.last", "true"),
                                h("audio.format", "wav")));
        assertThat(parser.parse(record("r".getBytes(), new byte[10], headers)).chunk()).isNotNull();
    }

    /** Replaces (or with a null value removes) one header of an otherwise valid message. */
    private DeadLetter rejectedWith(String header, String value) {
        List<IncomingRecord.Header> headers = goodHeaders();
        headers.removeIf(x -> x.key().equals(header));
        if (value != null) headers.add(h(header, value));
        return parser.parse(record("rec".getBytes(), new byte[10], headers)).rejected();
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
        "audio.seq, , missing_seq",
        "audio.seq, abc, invalid_seq",
        "audio.seq, -1, invalid_seq",
        "audio.seq, 1.5, invalid_seq",
        "audio.last, yes, invalid_last",
        "audio.format, , missing_format",
        "audio.format, ogg, unknown_format",
        "audio.sample-rate, , missing_sample_rate",
        "audio.sample-rate, fast, invalid_sample_rate",
        "audio.sample-rate, 0, invalid_sample_rate",
        "audio.channels, , missing_channels",
        "audio.channels, 65, invalid_channels",
        "audio.schema, , missing_schema",
        "audio.schema, 2, unsupported_schema",
    })
    void rejectsABadHeaderWithItsReasonCode(String header, String value, String code) {
        DeadLetter d = rejectedWith(header, value);
        assertThat(d).isNotNull();
        assertThat(d.code).isEqualTo(code);
        assertThat(d.stage).isEqualTo("ingest");
        assertThat(d.offset).isEqualTo(41);
        assertThat(d.key).isEqualTo("rec".getBytes());
        assertThat(d.value).hasSize(10);
    }

    @Test
    void rejectsKeysValuesAndHeadersThatBreakTheContract() {
        assertThat(parser.parse(record(null, new byte[10], goodHeaders())).rejected().code)
                .isEqualTo("missing_key");
        assertThat(
                        parser.parse(record(new byte[] {(byte) 0xC3}, new byte[10], goodHeaders()))
                                .rejected()
                                .code)
                .isEqualTo("invalid_key");
        assertThat(
                        parser.parse(record(" ".getBytes(), new byte[10], goodHeaders()))
                                .rejected()
                                .code)
                .isEqualTo("invalid_key");
        assertThat(parser.parse(record("r".getBytes(), new byte[0], goodHeaders())).rejected().code)
                .isEqualTo("empty_value");
        assertThat(
                        parser.parse(record("r".getBytes(), new byte[2000], goodHeaders()))
                                .rejected()
                                .code)
                .isEqualTo("oversized_value");
        List<IncomingRecord.Header> large = goodHeaders();
        large.add(h("audio.meta.note", "x".repeat(ChunkParser.MAX_HEADER_BYTES)));
        assertThat(parser.parse(record("r".getBytes(), new byte[10], large)).rejected().code)
                .isEqualTo("headers_too_large");
        List<IncomingRecord.Header> twice = goodHeaders();
        twice.add(h("audio.seq", "4"));
        assertThat(parser.parse(record("r".getBytes(), new byte[10], twice)).rejected().code)
                .isEqualTo("duplicate_header");
    }

    @Test
    void aDeadLetterKeepsTheOriginalHeadersUnchanged() {
        List<IncomingRecord.Header> headers = goodHeaders();
        headers.add(h("trace-id", "abc"));
        headers.removeIf(x -> x.key().equals("audio.format"));
        DeadLetter d = parser.parse(record("r".getBytes(), new byte[10], headers)).rejected();
        assertThat(d.headerKeys)
                .containsExactly(
                        "audio.schema",
                        "audio.seq",
                        "audio.last",
                        "audio.sample-rate",
                        "audio.channels",
                        "trace-id");
        assertThat(new String(d.headerValues[5], StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(d.message).contains("audio.format is required");
    }
}
