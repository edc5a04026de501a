package io.audioflow.pipeline.ingest;

/**
 * Why an input message went to the dead-letter topic. The code travels in the {@code
 * audioflow.error.code} header; consumers match on it, so codes are only ever added.
 */
public enum RejectReason {
    MISSING_KEY("missing_key", "the record has no key; the key is the recording id (UTF-8)"),
    INVALID_KEY("invalid_key", "the key must be 1 to 256 bytes of UTF-8 text"),
    MISSING_SEQ("missing_seq", "header audio.seq is required"),
    INVALID_SEQ("invalid_seq", "header audio.seq must be a whole number from 0"),
    INVALID_LAST("invalid_last", "header audio.last must be true or false"),
    MISSING_FORMAT("missing_format", "header audio.format is required"),
    UNKNOWN_FORMAT("unknown_format", "header audio.format names no supported format"),
    MISSING_SAMPLE_RATE("missing_sample_rate", "raw PCM needs header audio.sample-rate"),
    INVALID_SAMPLE_RATE(
            "invalid_sample_rate",
            "header audio.sample-rate must be a whole number from 1 to 768000"),
    MISSING_CHANNELS("missing_channels", "raw PCM needs header audio.channels"),
    INVALID_CHANNELS(
            "invalid_channels", "header audio.channels must be a whole number from 1 to 64"),
    MISSING_SCHEMA("missing_schema", "header audio.schema is required"),
    UNSUPPORTED_SCHEMA(
            "unsupported_schema",
            "header audio.schema names a contract version this job does not read"),
    DUPLICATE_HEADER("duplicate_header", "a contract header appears more than once"),
    EMPTY_VALUE("empty_value", "only the final chunk may be empty"),
    OVERSIZED_VALUE("oversized_value", "the chunk is larger than the per-message limit"),
    HEADERS_TOO_LARGE(
            "headers_too_large",
            "the headers' keys and values exceed "
                    + ChunkParser.MAX_HEADER_BYTES
                    + " bytes in all (metadata belongs in a few short audio.meta.* headers)"),
    DUPLICATE_SEQ(
            "duplicate_seq",
            "this chunk number was already received with other bytes (a retry with the same bytes is"
                    + " dropped, not a dead letter)"),
    CHUNK_AFTER_LAST("chunk_after_last", "the recording's final chunk was already received"),
    SEQ_OUT_OF_RANGE("seq_out_of_range", "the chunk number is beyond the per-recording limit"),
    FORMAT_CHANGED(
            "format_changed",
            "format, sample rate or channels differ from the recording's first chunk"),
    REORDER_BUFFER_FULL("reorder_buffer_full", "too many bytes wait for a missing earlier chunk"),
    SEQ_GAP("seq_gap", "an earlier chunk never arrived before the recording timed out"),
    TOO_MANY_OPEN_RECORDINGS(
            "too_many_open_recordings",
            "the job already holds limits.max_open_recordings open recordings here; this recording"
                    + " was refused at its first chunk, and its later chunks with it"),
    RECORDING_TOO_LARGE(
            "recording_too_large",
            "the recording passed limits.max_recording_bytes; it was ended at the chunk before this"
                    + " one, with a result marked incomplete"),
    RECORDING_TOO_LONG(
            "recording_too_long",
            "the recording passed limits.max_recording_seconds of audio; it was ended at the chunk"
                    + " that passed it, with a result marked incomplete");

    private final String code;
    private final String meaning;

    RejectReason(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
