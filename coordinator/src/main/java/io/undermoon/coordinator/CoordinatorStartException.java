package io.undermoon.coordinator;

/** The coordinator could not start (e.g. its admin address cannot be bound). */
public final class CoordinatorStartException extends Exception {
    public CoordinatorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
