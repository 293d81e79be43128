package io.undermoon.coordinator.broker;

import io.undermoon.model.Addresses;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker endpoints, shared by every broker client of one coordinator and replaced atomically
 * by {@code CONFIG SET brokers}. Each client walks the list round-robin with its own {@link Cursor}:
 * every HTTP request goes to the next address, as in the reference. An empty list is allowed and
 * makes every call fail with {@link BrokerCallException.Kind#NO_BROKER}.
 *
 * <p>A broker that failed a call (refused the connection, timed out, or answered that its store is
 * unavailable) is {@linkplain #markDown marked down} for a while: the cursors skip it as long as
 * another address is not marked, so one dead or hung broker among several costs one failed call,
 * not a third of all calls (ours: the reference keeps sending to it).
 */
public final class BrokerAddresses {
    /** How long a failed broker is skipped. */
    public static final long DOWN_NANOS = 5_000_000_000L;

    private final AtomicReference<List<String>> addresses;
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();

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

    /** Skips {@code address} for {@link #DOWN_NANOS} (unless every address is down). */
    public void markDown(String address) {
        downUntil.put(address, System.nanoTime() + DOWN_NANOS);
    }

    /** Forgets a failure of {@code address} (it answered). */
    public void markUp(String address) {
        if (!downUntil.isEmpty()) {
            downUntil.remove(address);
        }
    }

    boolean isDown(String address, long now) {
        Long until = downUntil.get(address);
        if (until == null) {
            return false;
        }
        if (until - now <= 0) {
            downUntil.remove(address, until);
            return false;
        }
        return true;
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

        /** The address for the next request: the next one not marked down, or the next one if all are. */
        public String next() throws BrokerCallException {
            List<String> list = addresses.get();
            if (list.isEmpty()) {
                throw new BrokerCallException(BrokerCallException.Kind.NO_BROKER, "no broker address configured");
            }
            long now = System.nanoTime();
            String first = null;
            for (int i = 0; i < list.size(); i++) {
                String a = list.get((int) Math.floorMod(counter.getAndIncrement(), (long) list.size()));
                if (first == null) {
                    first = a;
                }
                if (downUntil.isEmpty() || !isDown(a, now)) {
                    return a;
                }
            }
            counter.addAndGet(1 - list.size()); // all down: plain round-robin, one step per call
            return first;
        }

        /** How many addresses there are to try. */
        public int size() {
            return addresses.get().size();
        }
    }
}
