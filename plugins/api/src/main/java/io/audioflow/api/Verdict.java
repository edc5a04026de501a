package io.audioflow.api;

import java.util.Locale;

/** Ordered by severity: a recording's verdict is the most severe one any rule gives. */
public enum Verdict {
    ACCEPT,
    ENHANCE,
    REJECT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verdict parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public Verdict worst(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
