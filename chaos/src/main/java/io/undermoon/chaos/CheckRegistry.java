package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The clusters under check: live ones by name, and every incarnation the run had (for the report). */
final class CheckRegistry {
    private final ChaosOptions options;
    private final ClusterClients clients;
    private final RunClock clock;
    private final Findings findings;
    private final Map<String, CheckedCluster> live = new HashMap<>();
    private final List<CheckedCluster> all = new ArrayList<>();
    private final Map<String, Integer> incarnations = new HashMap<>();

    CheckRegistry(ChaosOptions options, ClusterClients clients, RunClock clock, Findings findings) {
        this.options = options;
        this.clients = clients;
        this.clock = clock;
        this.findings = findings;
    }

    /** Starts checking a new incarnation of the cluster with the given number of clients (and ballast keys). */
    synchronized CheckedCluster start(String name, int clientCount, int ballastKeys) {
        if (live.containsKey(name)) {
            throw new IllegalStateException(name + " is already checked");
        }
        int n = incarnations.merge(name, 1, Integer::sum);
        CheckedCluster c = new CheckedCluster(name, name + "#" + n, clientCount, ballastKeys, options,
                options.seed() ^ (name.hashCode() * 1_000_003L + n), clients, clock, findings);
        live.put(name, c);
        all.add(c);
        c.start();
        return c;
    }

    /** Stops checking the cluster and reads every key once more; false if it was not checked. */
    boolean stopAndSweep(String name, SlotProber.End end) {
        CheckedCluster c;
        synchronized (this) {
            c = live.remove(name);
        }
        if (c == null) {
            return false;
        }
        c.stop(end);
        c.sweep();
        return true;
    }

    synchronized List<CheckedCluster> live() {
        return List.copyOf(live.values());
    }

    synchronized List<CheckedCluster> all() {
        return List.copyOf(all);
    }
}
