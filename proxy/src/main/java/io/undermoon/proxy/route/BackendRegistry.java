package io.undermoon.proxy.route;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Gives each backend address a small, stable integer id. Used when metadata changes, never per command. */
public final class BackendRegistry {
    private final ConcurrentHashMap<String, LocalBackend> byAddress = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    public LocalBackend backend(String address) {
        return byAddress.computeIfAbsent(address, a -> new LocalBackend(a, next.getAndIncrement()));
    }

    /** The backend of an address (registering it when new). */
    public LocalBackend get(String address) {
        return backend(address);
    }

    public int size() {
        return next.get();
    }
}
