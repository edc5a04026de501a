package io.audioflow.pipeline.ingest;

/**
 * The Kafka headers of the input contract (topic {@code audio.chunks}; see README and
 * config/asyncapi.yaml). Producers depend on these names: add headers, never rename one.
 */
public final class ChunkHeaders {

    /** 0-based chunk number within the recording (decimal text). */
    public static final String SEQ = "audio.seq";

    /** {@code true} on the recording's final chunk. */
    public static final String LAST = "audio.last";

    /** wav, flac, mp3, pcm_s16le, pcm_s24le or pcm_f32le. */
    public static final String FORMAT = "audio.format";

    /** Sample rate in Hz; required for raw PCM. */
    public static final String SAMPLE_RATE = "audio.sample-rate";

    /** Channel count; required for raw PCM. */
    public static final String CHANNELS = "audio.channels";

    /** Version of this contract; {@code 1} today. */
    public static final String SCHEMA = "audio.schema";

    /** Headers under this prefix are copied into the recording's result unchanged. */
    public static final String META_PREFIX = "audio.meta.";

    /**
     * {@code audio.meta.*} keys {@code audioflow replay} sets on a replayed recording's first
     * chunk: the recording it analyses again and which attempt this is (1, 2, …). The result
     * carries them as the top-level {@code replay_of} and {@code replay_attempt}.
     */
    public static final String META_REPLAY_OF = "replay_of";

    public static final String META_REPLAY_ATTEMPT = "replay_attempt";

    public static final String SUPPORTED_SCHEMA = "1";

    private ChunkHeaders() {}
}
