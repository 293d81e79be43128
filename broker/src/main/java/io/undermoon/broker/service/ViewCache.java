package io.undermoon.broker.service;

import io.undermoon.model.broker.MetaStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Serialized views of one published store. Coordinators fetch every proxy's view every second;
 * since a published store never changes, each view is computed and serialized once per store and
 * then served as bytes. A new store starts a new generation; only keys that exist are cached.
 */
final class ViewCache {
    private record Generation(MetaStore store, ConcurrentHashMap<String, byte[]> entries) {}

    private final AtomicReference<Generation> current = new AtomicReference<>(new Generation(null, new ConcurrentHashMap<>()));

    /** The cached bytes for {@code key} in {@code store}, computing them once. */
    byte[] get(MetaStore store, String key, Function<String, byte[]> compute) {
        Generation g = current.get();
        if (g.store() != store) {
            // entries are bound to the store they were computed from, so a reader racing a publish
            // can at worst evict a generation, never serve another store's view
            g = new Generation(store, new ConcurrentHashMap<>());
            current.set(g);
        }
        return g.entries().computeIfAbsent(key, compute);
    }
}
