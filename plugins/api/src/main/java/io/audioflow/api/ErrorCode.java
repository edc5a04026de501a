package io.audioflow.api;

/**
 * Stable error codes. They appear in results, dead-letter headers and metrics, and consumers match
 * on them: add new codes, never rename or reuse one.
 */
public enum ErrorCode {
    // pipeline definition and validation
    INVALID_PIPELINE("invalid_pipeline"),
    INVALID_CONFIG("invalid_config"),
    UNKNOWN_PROCESSOR("unknown_processor"),
    FORMAT_MISMATCH("format_mismatch"),
    // plugin loading
    PLUGIN_LOAD_FAILED("plugin_load_failed"),
    INCOMPATIBLE_SPI("incompatible_spi"),
    // decoding
    UNSUPPORTED_FORMAT("unsupported_format"),
    TRUNCATED_HEADER("truncated_header"),
    MALFORMED_AUDIO("malformed_audio"),
    INVALID_CHANNELS("invalid_channels"),
    INVALID_SAMPLE_RATE("invalid_sample_rate"),
    INVALID_SAMPLES("invalid_samples"),
    EMPTY_AUDIO("empty_audio"),
    TOO_LARGE("too_large"),
    IO_ERROR("io_error"),
    // stage execution
    STAGE_FAILED("stage_failed"),
    UPSTREAM_FAILED("upstream_failed"),
    INTERNAL_ERROR("internal_error");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The wire form: snake_case, as it appears in JSON and Kafka headers. */
    public String code() {
        return code;
    }
}
