package io.undermoon.coordinator.broker;

import java.util.List;
import java.util.Optional;

/**
 * A paged listing as far as it got: the items of every page read, and the error that ended it
 * early, if any. Callers act on the items they have and report the error, so one bad page neither
 * hides the others nor passes silently (the reference drops such errors).
 */
public record Listing(List<String> items, Optional<BrokerCallException> error) {
    public Listing {
        items = List.copyOf(items);
    }

    public static Listing complete(List<String> items) {
        return new Listing(items, Optional.empty());
    }

    public static Listing partial(List<String> items, BrokerCallException error) {
        return new Listing(items, Optional.of(error));
    }
}
