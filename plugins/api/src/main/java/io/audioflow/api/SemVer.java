package io.audioflow.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (major.minor.patch with an optional pre-release tag). */
public record SemVer(int major, int minor, int patch, String preRelease)
        implements Comparable<SemVer>, java.io.Serializable {

    private static final Pattern FORMAT =
            Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?");

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative");
        }
        preRelease = preRelease == null ? "" : preRelease;
    }

    public static SemVer of(int major, int minor, int patch) {
        return new SemVer(major, minor, patch, "");
    }

    /** Parses "1", "1.2", "1.2.3" or "1.2.3-rc.1"; missing parts are zero. */
    public static SemVer parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "`"
                            + text
                            + "` is not a semantic version; write it as MAJOR.MINOR.PATCH, e.g. 1.2.0");
        }
        return new SemVer(
                Integer.parseInt(m.group(1)),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                m.group(4));
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) c = Integer.compare(minor, o.minor);
        if (c == 0) c = Integer.compare(patch, o.patch);
        if (c == 0) {
            // A release sorts after its pre-releases (1.0.0-rc.1 < 1.0.0).
            if (preRelease.isEmpty() != o.preRelease.isEmpty()) {
                return preRelease.isEmpty() ? 1 : -1;
            }
            c = preRelease.compareTo(o.preRelease);
        }
        return c;
    }

    // Written out rather than generated: a record's generated equals and hashCode are linked
    // through
    // invokedynamic on first use, which spins classes that a short-lived CLI pays for at start-up.
    // The hash is the one the generated method gave.
    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer v
                && major == v.major
                && minor == v.minor
                && patch == v.patch
                && preRelease.equals(v.preRelease);
    }

    @Override
    public int hashCode() {
        return ((Integer.hashCode(major) * 31 + Integer.hashCode(minor)) * 31
                                + Integer.hashCode(patch))
                        * 31
                + preRelease.hashCode();
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease);
    }
}
