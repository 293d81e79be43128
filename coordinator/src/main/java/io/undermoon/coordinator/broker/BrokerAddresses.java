package io.undermoon.coordinator.broker;

import io.undermoon.model.Addresses;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker endpoints, shared by every broker client of one coordinator and replaced atomically
 * by {@code CONFIG SET brokers}. Each client walks the list round-robin with its own {@link Cursor}:
 * every HTTP request goes to the next address, as in the reference. An empty list is allowed and
 * makes every call fail with {@link BrokerCallException.Kind#NO_BROKER}.
 */
public final class BrokerAddresses {
    private final AtomicReference<List<String>> addresses;

    public BrokerAddresses(List<String> initial) {
        this.addresses = new AtomicReference<>(checked(initial));
    }

    public List<String> get() {
        return addresses.get();
    }

    /** Replaces the whole list; every address must be {@code host:port}, else nothing changes. */
    public void set(List<String> newAddresses) {
        addresses.set(checked(newAddresses));
    }

    /** A new round-robin position over this list. */
    public Cursor cursor() {
        return new Cursor();
    }

    /**
     * Why {@code address} is not a usable broker endpoint, or null: it must be {@code host:port} with
     * a non-empty host without '/', whitespace or '@' and a port in 1..65535.
     */
    public static String problem(String address) {
        Objects.requireNonNull(address, "address");
        var hp = Addresses.parse(address);
        if (hp.isEmpty() || hp.get().port() == 0) {
            return "'" + address + "' is not host:port";
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '/' || c == '@' || c == '?' || c == '#' || Character.isWhitespace(c) || c < 0x20) {
                return "'" + address + "' is not host:port";
            }
        }
        return null;
    }

    private static List<String> checked(List<String> list) {
        List<String> copy = List.copyOf(list);
        for (String a : copy) {
            String p = problem(a);
            if (p != null) {
                throw new IllegalArgumentException("invalid broker address: " + p);
            }
        }
        return copy;
    }

    /** One client's position in the list: each {@link #next()} is the following address. */
    public final class Cursor {
        private final AtomicLong counter = new AtomicLong();

        private Cursor() {}

        /** The address for the next request. */
        public String next() throws BrokerCallException {
            List<String> list = addresses.get();
            if (list.isEmpty()) {
                throw new BrokerCallException(BrokerCallException.Kind.NO_BROKER, "no broker address configured");
            }
            return list.get((int) Math.floorMod(counter.getAndIncrement(), (long) list.size()));
        }
    }
}
