package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Host affinity: how many chunks pair each two hosts. Allocation pairs a proxy of the fullest host
 * with one of the least-linked host, and failover picks the replacement host least linked to the
 * failed one, so that the masters of a lost host fail over onto many different hosts.
 *
 * <p>The reference materialises a zero entry for every pair of hosts where either has an unused
 * proxy; since a candidate host must itself have a free proxy, that is the same as reading a missing
 * pair as 0, which is what this sparse table does (a thousand hosts do not cost a million entries).
 */
final class LinkTable {
    private final Map<String, Map<String, Integer>> links = new HashMap<>();

    private LinkTable() {}

    /** Counts the host pairs of every chunk of every cluster. */
    static LinkTable of(Iterable<ClusterStore> clusters) {
        LinkTable t = new LinkTable();
        for (ClusterStore c : clusters) {
            for (ChunkStore chunk : c.chunks()) {
                t.increment(chunk.hosts().get(0), chunk.hosts().get(1));
            }
        }
        return t;
    }

    int count(String a, String b) {
        Map<String, Integer> m = links.get(a);
        return m == null ? 0 : m.getOrDefault(b, 0);
    }

    void increment(String a, String b) {
        links.computeIfAbsent(a, k -> new HashMap<>()).merge(b, 1, Integer::sum);
        links.computeIfAbsent(b, k -> new HashMap<>()).merge(a, 1, Integer::sum);
    }
}
