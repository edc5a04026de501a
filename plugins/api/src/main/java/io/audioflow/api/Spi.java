package io.audioflow.api;

/** The version of this SPI. Plugins declare the range of it they support. */
public final class Spi {

    /**
     * Raise the minor version for additions that old plugins can ignore, the major version for
     * anything that breaks a compiled plugin.
     */
    public static final SemVer VERSION = SemVer.of(1, 4, 0);

    private Spi() {}
}
