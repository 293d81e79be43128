package io.undermoon.proxy.replication;

import io.undermoon.model.umctl.SetReplArgs;
import io.undermoon.proxy.route.BackendRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns UMCTL SETREPL into Redis replication. Each local node gets a {@link Replicator} that
 * asserts its role right away and then every {@code replication_interval}: a master gets
 * {@code REPLICAOF NO ONE}, a replica {@code REPLICAOF <master ip> <port>}, so a restarted Redis gets
 * its role back. A replicator whose entry is unchanged by a new SETREPL keeps running; the others
 * are stopped and replaced.
 *
 * <p>Leftover data. A node whose data is not the cluster's (it comes from an earlier life: the
 * node was free, or its proxy was failed over while it was down and the node was then given out
 * again) must be emptied before it serves or imports anything, or its stale keys pass for current
 * ones. Two rules, both flushing with FLUSHALL: a free node that becomes a master of a cluster is
 * flushed; and a master of a cluster that the SETCLUSTER of the same or a newer epoch gives no
 * slots at all (a new chunk before its migration, or a drained one) is flushed, which does not
 * depend on this process having seen the node free (a restarted proxy has not). A master with
 * slots is never flushed. While a flush is pending the node does not accept a migration
 * ({@link #flushPending}).
 */
public final class ReplicationManager implements Consumer<SetReplArgs>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationManager.class);

    private final BackendRegistry registry;
    private final Duration interval;
    private final Duration timeout;
    private final Map<String, Replicator> running = new HashMap<>();
    private boolean closed;
    private long setReplEpoch = -1;
    private String slotsCluster;
    private long slotsEpoch = -1;
    private java.util.Set<String> nodesWithSlots = java.util.Set.of();

    private final boolean fastFirstSync;

    public ReplicationManager(BackendRegistry registry, Duration interval, Duration timeout) {
        this(registry, interval, timeout, true);
    }

    /**
     * @param fastFirstSync set {@code repl-diskless-sync-delay 0} on every local master (the
     *                      {@code fast_first_sync} key), so that a replica's first sync starts at once
     */
    public ReplicationManager(BackendRegistry registry, Duration interval, Duration timeout, boolean fastFirstSync) {
        this.registry = registry;
        this.interval = interval;
        this.timeout = timeout;
        this.fastFirstSync = fastFirstSync;
    }

    /**
     * What is known of the replication of every local node with a role, in node address order
     * ({@code UMCTL REPLSTATUS}, metrics): a snapshot of each replicator's last observation.
     */
    public synchronized java.util.List<io.undermoon.model.umctl.ReplStatus> statuses() {
        java.util.List<io.undermoon.model.umctl.ReplStatus> out = new java.util.ArrayList<>(running.size());
        for (Replicator r : running.values()) {
            io.undermoon.model.umctl.ReplStatus s = r.status();
            if (s != null) {
                out.add(s);
            }
        }
        out.sort(java.util.Comparator.comparing(io.undermoon.model.umctl.ReplStatus::node));
        return out;
    }

    @Override
    public synchronized void accept(SetReplArgs args) {
        if (closed) {
            return;
        }
        Map<String, SetReplArgs.Entry> wanted = new LinkedHashMap<>();
        for (SetReplArgs.Entry e : args.entries()) {
            wanted.put(e.nodeAddress(), e);
        }
        setReplEpoch = args.epoch();
        Map<String, Boolean> wasConfirmedMaster = new HashMap<>();
        java.util.Set<String> wasFree = new java.util.HashSet<>();
        java.util.Set<String> hadPendingFlush = new java.util.HashSet<>();
        Map<String, Replicator> stoppedOnes = new HashMap<>();
        running.entrySet().removeIf(r -> {
            SetReplArgs.Entry next = wanted.get(r.getKey());
            if (next != null && next.equals(r.getValue().entry())) {
                return false;
            }
            wasConfirmedMaster.put(r.getKey(), r.getValue().isConfirmedMaster());
            if (r.getValue().entry().clusterName().isEmpty()) {
                wasFree.add(r.getKey());
            }
            if (r.getValue().flushPending()) {
                hadPendingFlush.add(r.getKey());
            }
            r.getValue().stop();
            stoppedOnes.put(r.getKey(), r.getValue());
            return true;
        });
        for (SetReplArgs.Entry e : wanted.values()) {
            if (running.containsKey(e.nodeAddress())) {
                continue;
            }
            boolean stillMaster = e instanceof SetReplArgs.Master && wasConfirmedMaster.getOrDefault(e.nodeAddress(), false);
            // a free node that becomes a master of a cluster starts a new chunk: whatever it still
            // holds from an earlier life is garbage and must not be mistaken for imported keys
            boolean clusterMaster = e instanceof SetReplArgs.Master && !e.clusterName().isEmpty();
            boolean flushFirst = clusterMaster && (wasFree.contains(e.nodeAddress()) || hadPendingFlush.contains(e.nodeAddress()));
            Replicator r = new Replicator(e, registry.get(e.nodeAddress()), interval, timeout, stillMaster, flushFirst,
                    fastFirstSync);
            if (clusterMaster && slotless(e.clusterName(), e.nodeAddress(), args.epoch())) {
                r.requestFlush();
            }
            running.put(e.nodeAddress(), r);
            // the new role's first command goes out only after the old role's last one was answered
            r.start(stoppedOnes.get(e.nodeAddress()));
            LOG.info("replication: {} {} in cluster '{}' (peers {})", e.nodeAddress(), e.role(), e.clusterName(), e.peers());
        }
    }

    /** True when the last SETCLUSTER, of this cluster and at least this epoch, gave the node no slots. */
    private boolean slotless(String cluster, String node, long epoch) {
        return cluster.equals(slotsCluster) && slotsEpoch >= epoch && !nodesWithSlots.contains(node);
    }

    /**
     * Called for every accepted SETCLUSTER: the cluster, its epoch and the local nodes it lists
     * (with stable, migrating or importing slots). A master of that cluster from a SETREPL not newer
     * than it that has no slots in it is flushed.
     */
    public synchronized void slotsChanged(String cluster, long epoch, java.util.Set<String> localNodes) {
        slotsCluster = cluster;
        slotsEpoch = epoch;
        nodesWithSlots = java.util.Set.copyOf(localNodes);
        if (cluster.isEmpty() || setReplEpoch > epoch) {
            return;
        }
        for (Replicator r : running.values()) {
            SetReplArgs.Entry e = r.entry();
            if (e instanceof SetReplArgs.Master && e.clusterName().equals(cluster)) {
                if (localNodes.contains(e.nodeAddress())) {
                    r.slotsGiven();
                } else {
                    r.requestFlush();
                }
            }
        }
    }

    /** True while a flush of the node's leftover data is requested and not done yet. */
    public synchronized boolean flushPending(String node) {
        Replicator r = running.get(node);
        return r != null && r.flushPending();
    }

    @Override
    public synchronized void close() {
        closed = true;
        running.values().forEach(Replicator::stop);
        running.clear();
    }
}
