package io.undermoon.coordinator.proxy;

/** A command to a proxy failed: it could not be sent, timed out, or the proxy refused it. */
public final class ProxyCommandException extends Exception {
    public ProxyCommandException(String message) {
        super(message);
    }

    public ProxyCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
