package io.audioflow.pipeline.ingest;

import io.audioflow.operators.model.DeadLetter;
import io.audioflow.operators.model.EncodedChunk;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Input messages to chunks, or to dead letters with a reason: parsing never throws, so one bad
 * message can never fail the job.
 */
public final class ChunkParser implements Serializable {

    public static final String STAGE = "ingest";
    private static final Set<String> FORMATS =
            Set.of("wav", "flac", "mp3", "pcm_s16le", "pcm_s24le", "pcm_f32le");
    private static final Set<String> CONTRACT =
            Set.of(
                    ChunkHeaders.SEQ,
                    ChunkHeaders.LAST,
                    ChunkHeaders.FORMAT,
                    ChunkHeaders.SAMPLE_RATE,
                    ChunkHeaders.CHANNELS,
                    ChunkHeaders.SCHEMA);

    /**
     * Headers are copied into results (metadata) and dead letters, whose producers send about 1 MiB
     * at most by default: a bound far below that keeps both writable.
     */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    private final int maxMessageBytes;

    public ChunkParser(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** What parsing came to: exactly one of the two fields is set. */
    public record Parsed(EncodedChunk chunk, DeadLetter rejected) {}

    public Parsed parse(IncomingRecord in) {
        EncodedChunk c = new EncodedChunk();
        c.data = in.value() == null ? new byte[0] : in.value();
        c.topic = in.topic();
        c.partition = in.partition();
        c.offset = in.offset();
        c.timestamp = in.timestamp();
        c.headerKeys = new String[in.headers().size()];
        c.headerValues = new byte[in.headers().size()][];
        for (int i = 0; i < in.headers().size(); i++) {
            c.headerKeys[i] = in.headers().get(i).key();
            c.headerValues[i] = in.headers().get(i).value();
        }
        if (in.key() == null) return reject(c, in, RejectReason.MISSING_KEY, null);
        String id = utf8(in.key());
        if (id == null || id.isBlank() || in.key().length > 256)
            return reject(c, in, RejectReason.INVALID_KEY, null);
        c.recordingId = id;
        long headerBytes = 0;
        for (IncomingRecord.Header h : in.headers())
            headerBytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
        if (headerBytes > MAX_HEADER_BYTES)
            return reject(c, in, RejectReason.HEADERS_TOO_LARGE, headerBytes + " bytes");

        Map<String, String> contract = new HashMap<>();
        for (IncomingRecord.Header h : in.headers()) {
            String value = h.value() == null ? "" : utf8(h.value());
            if (CONTRACT.contains(h.key())) {
                if (contract.put(h.key(), value == null ? "" : value.trim()) != null) {
                    return reject(c, in, RejectReason.DUPLICATE_HEADER, h.key());
                }
            } else if (h.key().startsWith(ChunkHeaders.META_PREFIX) && value != null) {
                c.metadata.put(h.key().substring(ChunkHeaders.META_PREFIX.length()), value);
            }
        }
        String schema = contract.get(ChunkHeaders.SCHEMA);
        if (schema == null) return reject(c, in, RejectReason.MISSING_SCHEMA, null);
        if (!schema.equals(ChunkHeaders.SUPPORTED_SCHEMA))
            return reject(
                    c,
                    in,
                    RejectReason.UNSUPPORTED_SCHEMA,
                    "`" + schema + "`, this job reads " + ChunkHeaders.SUPPORTED_SCHEMA);

        String seq = contract.get(ChunkHeaders.SEQ);
        if (seq == null) return reject(c, in, RejectReason.MISSING_SEQ, null);
        Long seqValue = wholeNumber(seq);
        if (seqValue == null || seqValue < 0)
            return reject(c, in, RejectReason.INVALID_SEQ, "`" + seq + "`");
        c.seq = seqValue;

        String last = contract.getOrDefault(ChunkHeaders.LAST, "false");
        if (!last.equalsIgnoreCase("true") && !last.equalsIgnoreCase("false"))
            return reject(c, in, RejectReason.INVALID_LAST, "`" + last + "`");
        c.last = last.equalsIgnoreCase("true");

        String format = contract.get(ChunkHeaders.FORMAT);
        if (format == null || format.isEmpty())
            return reject(c, in, RejectReason.MISSING_FORMAT, null);
        if (!FORMATS.contains(format))
            return reject(c, in, RejectReason.UNKNOWN_FORMAT, unknownFormat(format));
        c.format = format;

        boolean raw = format.startsWith("pcm_");
        String rate = contract.get(ChunkHeaders.SAMPLE_RATE);
        if (rate == null && raw) return reject(c, in, RejectReason.MISSING_SAMPLE_RATE, null);
        if (rate != null) {
            Long r = wholeNumber(rate);
            if (r == null || r < 1 || r > 768_000)
                return reject(c, in, RejectReason.INVALID_SAMPLE_RATE, "`" + rate + "`");
            c.sampleRate = r.intValue();
        }
        String channels = contract.get(ChunkHeaders.CHANNELS);
        if (channels == null && raw) return reject(c, in, RejectReason.MISSING_CHANNELS, null);
        if (channels != null) {
            Long ch = wholeNumber(channels);
            if (ch == null || ch < 1 || ch > 64)
                return reject(c, in, RejectReason.INVALID_CHANNELS, "`" + channels + "`");
            c.channels = ch.intValue();
        }
        if (c.data.length == 0 && !c.last) return reject(c, in, RejectReason.EMPTY_VALUE, null);
        if (c.data.length > maxMessageBytes)
            return reject(
                    c,
                    in,
                    RejectReason.OVERSIZED_VALUE,
                    c.data.length + " bytes, limit " + maxMessageBytes);
        return new Parsed(c, null);
    }

    /**
     * Why {@code format} breaks the input contract, in the words of the dead letter; empty when it
     * is one the contract names. Local runs refuse files by the same rule.
     */
    public static Optional<String> refusedFormat(String format) {
        if (FORMATS.contains(format)) return Optional.empty();
        return Optional.of(RejectReason.UNKNOWN_FORMAT.meaning() + ": " + unknownFormat(format));
    }

    private static String unknownFormat(String format) {
        return "`"
                + format
                + "`; supported: "
                + String.join(", ", FORMATS.stream().sorted().toList());
    }

    private static Parsed reject(
            EncodedChunk c, IncomingRecord in, RejectReason reason, String detail) {
        DeadLetter d =
                DeadLetter.of(
                        c,
                        STAGE,
                        reason.code(),
                        reason.meaning() + (detail == null ? "" : ": " + detail));
        d.key = in.key();
        d.value = in.value();
        return new Parsed(null, d);
    }

    private static Long wholeNumber(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
