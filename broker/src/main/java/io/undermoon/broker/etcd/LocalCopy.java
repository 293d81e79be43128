package io.undermoon.broker.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.undermoon.model.broker.MetaStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A broker's copy of the etcd store: an immutable {@link MetaStore} with the key-value pairs it was
 * decoded from and the etcd revisions it reflects, published through an {@link AtomicReference} so
 * that reads never lock. Three sources move it (the broker's own commits, the watch, full reloads),
 * under one lock, and only forward in etcd revisions.
 */
final class LocalCopy {

    /** The store, its pairs, the head key's modification revision, and the etcd revision the copy reflects. */
    record Copy(MetaStore store, Map<String, byte[]> pairs, long headRevision, long revision) {}

    private final EtcdLayout layout;
    private final AtomicReference<Copy> copy = new AtomicReference<>();
    private final ReentrantLock applier = new ReentrantLock();

    LocalCopy(EtcdLayout layout) {
        this.layout = layout;
    }

    Copy get() {
        return copy.get();
    }

    /** Publishes {@code next} unless the copy already reflects a later revision. */
    void install(Copy next) {
        applier.lock();
        try {
            Copy current = copy.get();
            if (current == null || next.revision() >= current.revision()) {
                copy.set(next);
            }
        } finally {
            applier.unlock();
        }
    }

    /** Decodes what was read (reusing the unchanged buckets of the current copy) and installs it. */
    void install(EtcdGateway.Loaded loaded) throws EtcdLayout.NotOursException {
        Copy current = copy.get();
        MetaStore store = current == null ? layout.decode(loaded.pairs())
                : layout.decode(loaded.pairs(), current.pairs(), current.store());
        install(new Copy(store, loaded.pairs(), loaded.headRevision(), loaded.revision()));
    }

    /**
     * Applies a watch response: the events newer than the copy (the broker's own commits and
     * reloads may already hold the others).
     *
     * @throws EtcdLayout.NotOursException when the result does not read as an undermoon store (the copy stays)
     */
    void apply(WatchResponse response) throws EtcdLayout.NotOursException {
        if (response.getEvents().isEmpty()) {
            return;
        }
        applier.lock();
        try {
            Copy current = copy.get();
            Map<String, byte[]> pairs = null;
            long headRevision = current.headRevision();
            long revision = current.revision();
            for (WatchEvent e : response.getEvents()) {
                KeyValue kv = e.getKeyValue();
                long modRevision = kv.getModRevision();
                if (modRevision <= current.revision()) {
                    continue;
                }
                if (pairs == null) {
                    pairs = new HashMap<>(current.pairs());
                }
                String key = kv.getKey().toString(StandardCharsets.UTF_8);
                if (e.getEventType() == WatchEvent.EventType.DELETE) {
                    pairs.remove(key);
                } else {
                    pairs.put(key, kv.getValue().getBytes());
                    if (key.equals(layout.headKey())) {
                        headRevision = modRevision;
                    }
                }
                revision = Math.max(revision, modRevision);
            }
            if (pairs != null) {
                copy.set(new Copy(layout.decode(pairs, current.pairs(), current.store()), pairs, headRevision, revision));
            }
        } finally {
            applier.unlock();
        }
    }

    /** The same keys with the same bytes. */
    static boolean sameStore(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
