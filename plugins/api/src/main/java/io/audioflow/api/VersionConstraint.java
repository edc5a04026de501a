package io.audioflow.api;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A version range in the npm/cargo style: {@code *}, {@code 1.2.3}, {@code =1.2.3}, {@code ^1.2},
 * {@code ~1.2}, {@code >=1.2 <2}, {@code >1.0}, {@code <=2.0}. Space-separated terms must all hold.
 */
public final class VersionConstraint implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final VersionConstraint ANY = parse("*");

    private final String text;
    private transient List<Predicate<SemVer>> terms;

    private VersionConstraint(String text) {
        this.text = text;
    }

    public static VersionConstraint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "empty version constraint; write e.g. ^1.0 or >=1.2 <2");
        }
        VersionConstraint constraint = new VersionConstraint(text.trim());
        constraint.terms(); // fail now, not at first use
        return constraint;
    }

    public boolean matches(SemVer version) {
        for (Predicate<SemVer> term : terms()) {
            if (!term.test(version)) return false;
        }
        return true;
    }

    private List<Predicate<SemVer>> terms() {
        if (terms == null) {
            List<Predicate<SemVer>> parsed = new ArrayList<>();
            for (String term : text.split("\\s+")) {
                parsed.add(parseTerm(term));
            }
            terms = parsed;
        }
        return terms;
    }

    private static Predicate<SemVer> parseTerm(String term) {
        if (term.equals("*") || term.equalsIgnoreCase("x")) return v -> true;
        if (term.startsWith("^")) {
            SemVer low = SemVer.parse(term.substring(1));
            SemVer high =
                    low.major() > 0
                            ? SemVer.of(low.major() + 1, 0, 0)
                            : low.minor() > 0
                                    ? SemVer.of(0, low.minor() + 1, 0)
                                    : SemVer.of(0, 0, low.patch() + 1);
            return v -> v.compareTo(low) >= 0 && v.compareTo(high) < 0;
        }
        if (term.startsWith("~")) {
            SemVer low = SemVer.parse(term.substring(1));
            SemVer high = SemVer.of(low.major(), low.minor() + 1, 0);
            return v -> v.compareTo(low) >= 0 && v.compareTo(high) < 0;
        }
        for (String op : new String[] {">=", "<=", ">", "<", "="}) {
            if (term.startsWith(op)) {
                SemVer bound = SemVer.parse(term.substring(op.length()));
                return switch (op) {
                    case ">=" -> v -> v.compareTo(bound) >= 0;
                    case "<=" -> v -> v.compareTo(bound) <= 0;
                    case ">" -> v -> v.compareTo(bound) > 0;
                    case "<" -> v -> v.compareTo(bound) < 0;
                    default -> v -> v.compareTo(bound) == 0;
                };
            }
        }
        SemVer exact = SemVer.parse(term);
        return v -> v.compareTo(exact) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionConstraint other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
