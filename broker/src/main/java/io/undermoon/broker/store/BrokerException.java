package io.undermoon.broker.store;

import java.util.Map;
import java.util.Objects;

/**
 * A broker operation that failed with one of the API's error codes. {@link #details()} holds the
 * extra fields of the JSON error body (only {@code INVALID_CONFIG} has them: key, value, message).
 * Cheap to create: no stack trace, because it is an expected outcome, not a bug.
 */
public final class BrokerException extends Exception {
    private final BrokerError error;
    private final Map<String, String> details;

    public BrokerException(BrokerError error) {
        this(error, Map.of(), error.name());
    }

    public BrokerException(BrokerError error, String message) {
        this(error, Map.of(), message);
    }

    public BrokerException(BrokerError error, Map<String, String> details, String message) {
        super(message, null, false, false);
        this.error = Objects.requireNonNull(error);
        this.details = Map.copyOf(details);
    }

    public BrokerError error() {
        return error;
    }

    public Map<String, String> details() {
        return details;
    }
}
