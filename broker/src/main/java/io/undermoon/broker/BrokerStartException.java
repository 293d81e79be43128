package io.undermoon.broker;

/** The broker could not start: unreadable or invalid meta file, port in use, bad configuration. */
public final class BrokerStartException extends Exception {
    public BrokerStartException(String message) {
        super(message);
    }

    public BrokerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
