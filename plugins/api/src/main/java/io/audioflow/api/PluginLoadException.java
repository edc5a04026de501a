package io.audioflow.api;

/** A plugin could not be loaded, or was refused (bad SPI version, broken jar…). */
public class PluginLoadException extends AudioflowException {

    public PluginLoadException(ErrorCode code, String message) {
        super(code, message, null);
    }

    public PluginLoadException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
