package io.undermoon.coordinator.loop;

import java.util.Objects;

/**
 * A problem met in a round. {@code key} names what it concerns (a proxy address, {@code "listing"},
 * ...): the same key failing again the same way is not logged again, and a key that stops failing
 * is logged as recovered.
 */
public record RoundError(String key, String message) {
    public RoundError {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }
}
