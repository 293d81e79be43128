package io.undermoon.broker.overview;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * How far each cluster's scaling has got, in slots. The store only holds the migration tasks still
 * to finish, so this tracker remembers, per cluster, the most slots it has seen planned at once
 * since the cluster's migrations began: {@code planned}. Each published store it observes gives
 * {@code remaining} (slots of the tasks still stored); {@code planned - remaining} is the number of
 * slots switched to their new owner. A cluster with nothing left to move is forgotten. After a
 * broker restart in the middle of a scale, {@code planned} starts again from what is left then.
 */
public final class MigrationProgress {
    /** One cluster's scale: slots planned, slots still to move, when the broker first saw it (ms). */
    public record Entry(long planned, long remaining, long startedAtMillis) {
        public long switched() {
            return planned - remaining;
        }
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();
    private MetaStore lastSeen;

    public MigrationProgress(Clock clock) {
        this.clock = clock;
    }

    /** Slots of the migration tasks stored for this cluster (each task counted once, at its source). */
    public static long migratingSlots(ClusterStore cluster) {
        long n = 0;
        for (ChunkStore c : cluster.chunks()) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                for (MigrationSlotRangeStore r : c.migrating(part)) {
                    if (r.isMigrating()) {
                        n += r.rangeList().slotCount();
                    }
                }
            }
        }
        return n;
    }

    /** Updates the entries from a published store (cheap when the store is the one seen last). */
    public synchronized void observe(MetaStore store) {
        if (store == lastSeen) {
            return;
        }
        lastSeen = store;
        Map<String, Entry> next = new HashMap<>();
        for (ClusterStore c : store.clusters().values()) {
            long remaining = migratingSlots(c);
            if (remaining == 0) {
                continue;
            }
            Entry old = entries.get(c.name());
            if (old == null) {
                next.put(c.name(), new Entry(remaining, remaining, clock.millis()));
            } else {
                // new tasks planned on top of a running scale raise the total by what they add
                long added = Math.max(0, remaining - old.remaining());
                next.put(c.name(), new Entry(old.planned() + added, remaining, old.startedAtMillis()));
            }
        }
        entries.clear();
        entries.putAll(next);
    }

    /** The entry of a cluster that is migrating, or null. */
    public synchronized Entry get(String cluster) {
        return entries.get(cluster);
    }

    public synchronized Map<String, Entry> all() {
        return Map.copyOf(entries);
    }
}
