package io.undermoon.chaos;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every metadata change the harness asked a broker for, in the order the answers came: acknowledged
 * (a 2xx) or in doubt (no answer, a 5xx, or a refused scale, which may have taken its first step).
 * Refused changes (other 4xx) are not recorded. {@link #check} compares the acknowledged changes
 * with a final store: a registered proxy must be there; a cluster must exist after its last
 * acknowledged creation and be gone after its last acknowledged deletion; after its last
 * acknowledged scale the cluster must have that many nodes holding slots. A later acknowledged
 * change of the same thing replaces an earlier one (a deletion undoes a creation); a later change
 * in doubt excuses a mismatch (it may have happened). Thread-safe.
 */
final class MetadataLedger {

    /** A change the harness asked for. */
    sealed interface Change permits ProxyRegistered, ClusterCreated, ClusterDeleted, ClusterScaled {
        String describe();
    }

    record ProxyRegistered(String address) implements Change {
        public String describe() {
            return "register proxy " + address;
        }
    }

    record ClusterCreated(String name) implements Change {
        public String describe() {
            return "create cluster " + name;
        }
    }

    record ClusterDeleted(String name) implements Change {
        public String describe() {
            return "delete cluster " + name;
        }
    }

    record ClusterScaled(String name, int nodes) implements Change {
        public String describe() {
            return "scale cluster " + name + " to " + nodes + " nodes";
        }
    }

    /** One recorded change: its place in the order of answers, when the answer came (run clock), and whether it was acknowledged. */
    record Entry(long seq, long atMillis, Change change, boolean acknowledged) {}

    /**
     * What a final store holds, as far as the ledger's changes go: the registered proxies, and for
     * each cluster the nodes holding slots and whether a migration is still planned.
     */
    record FinalStore(Set<String> proxies, Map<String, Integer> nodesWithSlots, Set<String> migrating) {
        FinalStore {
            proxies = Set.copyOf(proxies);
            nodesWithSlots = Map.copyOf(nodesWithSlots);
            migrating = Set.copyOf(migrating);
        }

        static FinalStore of(MetaStore store) {
            Map<String, Integer> withSlots = new HashMap<>();
            Set<String> migrating = new TreeSet<>();
            for (Map.Entry<String, ClusterStore> e : store.clusters().entrySet()) {
                int n = 0;
                for (ChunkStore chunk : e.getValue().chunks()) {
                    for (int part = 0; part < ChunkStore.PARTS; part++) {
                        if (chunk.stable(part) != null) {
                            n += 2; // a chunk part is a master and its replica
                        }
                    }
                }
                withSlots.put(e.getKey(), n);
                if (e.getValue().isMigrating()) {
                    migrating.add(e.getKey());
                }
            }
            return new FinalStore(store.allProxies().keySet(), withSlots, migrating);
        }
    }

    /** The outcome of a check: the acknowledged changes whose effect the store does not show. */
    record Verdict(long acknowledged, long inDoubt, long superseded, long excused, List<String> lost) {
        Verdict {
            lost = List.copyOf(lost);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private long seq;

    synchronized void acknowledged(long atMillis, Change change) {
        entries.add(new Entry(seq++, atMillis, change, true));
    }

    synchronized void inDoubt(long atMillis, Change change) {
        entries.add(new Entry(seq++, atMillis, change, false));
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Compares every acknowledged change with the store. */
    Verdict check(FinalStore store) {
        List<Entry> all = entries();
        long acked = all.stream().filter(Entry::acknowledged).count();
        long inDoubt = all.size() - acked;
        long superseded = 0;
        long excused = 0;
        List<String> lost = new ArrayList<>();
        for (Entry e : all) {
            if (!e.acknowledged()) {
                continue;
            }
            Outcome o = judge(e, all, store);
            switch (o) {
                case HOLDS -> { }
                case SUPERSEDED -> superseded++;
                case EXCUSED -> excused++;
                case LOST -> lost.add(e.change().describe() + " (acknowledged at " + e.atMillis() + " ms): "
                        + shown(e.change(), store));
            }
        }
        return new Verdict(acked, inDoubt, superseded, excused, lost);
    }

    private enum Outcome { HOLDS, SUPERSEDED, EXCUSED, LOST }

    private static Outcome judge(Entry e, List<Entry> all, FinalStore store) {
        return switch (e.change()) {
            case ProxyRegistered p -> store.proxies().contains(p.address()) ? Outcome.HOLDS : Outcome.LOST;
            case ClusterCreated c -> existence(e, all, c.name(), store, true);
            case ClusterDeleted d -> existence(e, all, d.name(), store, false);
            case ClusterScaled s -> scale(e, all, s, store);
        };
    }

    /** A creation (shouldExist) or deletion: only the last acknowledged one of the cluster decides. */
    private static Outcome existence(Entry e, List<Entry> all, String name, FinalStore store, boolean shouldExist) {
        boolean laterDoubt = false;
        for (Entry later : after(e, all)) {
            if (isExistenceChange(later.change(), name)) {
                if (later.acknowledged()) {
                    return Outcome.SUPERSEDED;
                }
                laterDoubt = true;
            }
        }
        if (store.nodesWithSlots().containsKey(name) == shouldExist) {
            return Outcome.HOLDS;
        }
        return laterDoubt ? Outcome.EXCUSED : Outcome.LOST;
    }

    /** The last acknowledged scale of an incarnation: the cluster, if it still exists, has that many nodes with slots. */
    private static Outcome scale(Entry e, List<Entry> all, ClusterScaled s, FinalStore store) {
        boolean laterDoubt = false;
        for (Entry later : after(e, all)) {
            Change c = later.change();
            if (isExistenceChange(c, s.name())) {
                // deleted (or recreated, or maybe so) since: this incarnation's size no longer says anything
                return Outcome.SUPERSEDED;
            }
            if (c instanceof ClusterScaled other && other.name().equals(s.name())) {
                if (later.acknowledged()) {
                    return Outcome.SUPERSEDED;
                }
                laterDoubt = true;
            }
        }
        Integer n = store.nodesWithSlots().get(s.name());
        if (n != null && n == s.nodes() && !store.migrating().contains(s.name())) {
            return Outcome.HOLDS;
        }
        return laterDoubt ? Outcome.EXCUSED : Outcome.LOST;
    }

    private static boolean isExistenceChange(Change c, String name) {
        return (c instanceof ClusterCreated cc && cc.name().equals(name)) || (c instanceof ClusterDeleted cd && cd.name().equals(name));
    }

    private static List<Entry> after(Entry e, List<Entry> all) {
        return all.subList((int) Math.min(all.size(), all.indexOf(e) + 1), all.size());
    }

    private static String shown(Change c, FinalStore store) {
        return switch (c) {
            case ProxyRegistered p -> "the store has no proxy " + p.address();
            case ClusterCreated cc -> "the store has no cluster " + cc.name();
            case ClusterDeleted cd -> "the store still has cluster " + cd.name();
            case ClusterScaled s -> store.nodesWithSlots().containsKey(s.name())
                    ? "the store has " + store.nodesWithSlots().get(s.name()) + " nodes with slots"
                            + (store.migrating().contains(s.name()) ? " and a migration planned" : "")
                    : "the store has no cluster " + s.name();
        };
    }
}
