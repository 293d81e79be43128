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
 */
public final class ReplicationManager implements Consumer<SetReplArgs>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationManager.class);

    private final BackendRegistry registry;
    private final Duration interval;
    private final Duration timeout;
    private final Map<String, Replicator> running = new HashMap<>();
    private boolean closed;

    public ReplicationManager(BackendRegistry registry, Duration interval, Duration timeout) {
        this.registry = registry;
        this.interval = interval;
        this.timeout = timeout;
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
        Map<String, Boolean> wasConfirmedMaster = new HashMap<>();
        java.util.Set<String> wasFree = new java.util.HashSet<>();
        running.entrySet().removeIf(r -> {
            SetReplArgs.Entry next = wanted.get(r.getKey());
            if (next != null && next.equals(r.getValue().entry())) {
                return false;
            }
            wasConfirmedMaster.put(r.getKey(), r.getValue().isConfirmedMaster());
            if (r.getValue().entry().clusterName().isEmpty()) {
                wasFree.add(r.getKey());
            }
            r.getValue().stop();
            return true;
        });
        for (SetReplArgs.Entry e : wanted.values()) {
            if (running.containsKey(e.nodeAddress())) {
                continue;
            }
            boolean stillMaster = e instanceof SetReplArgs.Master && wasConfirmedMaster.getOrDefault(e.nodeAddress(), false);
            // a free node that becomes a master of a cluster starts a new chunk: whatever it still
            // holds from an earlier life is garbage and must not be mistaken for imported keys
            boolean flushFirst = e instanceof SetReplArgs.Master && !e.clusterName().isEmpty()
                    && wasFree.contains(e.nodeAddress());
            Replicator r = new Replicator(e, registry.get(e.nodeAddress()), interval, timeout, stillMaster, flushFirst);
            running.put(e.nodeAddress(), r);
            r.start();
            LOG.info("replication: {} {} in cluster '{}' (peers {})", e.nodeAddress(), e.role(), e.clusterName(), e.peers());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        running.values().forEach(Replicator::stop);
        running.clear();
    }
}
