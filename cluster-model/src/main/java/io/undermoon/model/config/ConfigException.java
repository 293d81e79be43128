package io.undermoon.model.config;

/** A configuration that cannot be used; the message names the field and says why. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
