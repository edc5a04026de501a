package io.audioflow.plugins.metrics;

/** Level conversions shared by the analyzers. */
final class Decibels {

    /**
     * The level reported for digital silence. Results are JSON, which has no -Infinity, and a
     * finite floor keeps threshold rules simple ("rms below -60 dBFS" holds for silence too).
     */
    static final double FLOOR_DB = -200.0;

    private Decibels() {}

    static double amplitudeToDb(double amplitude) {
        return amplitude > 0 ? Math.max(FLOOR_DB, 20 * Math.log10(amplitude)) : FLOOR_DB;
    }
}
