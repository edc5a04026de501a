package io.audioflow.api;

/** The role a plugin plays in a pipeline; each role has its own interface. */
public enum StageKind {
    /** Turns encoded bytes (WAV, FLAC, raw PCM…) into audio. See {@link AudioDecoder}. */
    DECODER,
    /** Turns audio into audio (resample, downmix, normalize…). See {@link AudioProcessor}. */
    PROCESSOR,
    /** Measures audio into metrics. See {@link AudioAnalyzer}. */
    ANALYZER,
    /** Turns a recording's metrics into a verdict. See {@link DecisionEngine}. */
    DECISION;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
