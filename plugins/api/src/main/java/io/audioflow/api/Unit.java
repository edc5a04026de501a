package io.audioflow.api;

/** Units carried by quality metrics; the symbol is what reports print. */
public enum Unit {
    DBFS("dBFS"),
    DB("dB"),
    DBTP("dBTP"),
    LUFS("LUFS"),
    LU("LU"),
    HZ("Hz"),
    SECONDS("s"),
    RATIO("ratio"),
    PER_SAMPLE("1/sample"),
    COUNT("count"),
    NONE("");

    private final String symbol;

    Unit(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
