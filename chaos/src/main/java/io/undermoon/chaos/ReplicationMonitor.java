package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import io.undermoon.model.broker.ClusterView;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * Every {@value #INTERVAL_MILLIS} ms: reads every cluster's layout from the broker (the last one
 * known while the broker is down) and asks each master Redis for {@code INFO replication}. A
 * master's slots have a single copy when it is unreachable, is not a master (yet), or the replica
 * the broker lists for it (the node a failover would promote) is not among its replicas in state
 * {@code online}: another replica that is still attached (say, the Redis of a proxy that was failed
 * over) does not count, it would not be promoted. Both go into the {@link ClusterHistory} the loss
 * classifier reads.
 */
final class ReplicationMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);
    static final long INTERVAL_MILLIS = 250;
    private static final JedisClientConfig CONFIG = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(300).socketTimeoutMillis(500).build();

    private final BrokerApi broker;
    private final ClusterHistory history;
    private final SingleCopyWindows windows;
    private final RunClock clock;
    private final Map<String, Jedis> connections = new HashMap<>();
    private final Background background;
    private volatile List<String> names = List.of();
    private volatile boolean allReplicated;
    private volatile long polls;

    ReplicationMonitor(BrokerApi broker, ClusterHistory history, SingleCopyWindows windows, RunClock clock) {
        this.broker = broker;
        this.history = history;
        this.windows = windows;
        this.clock = clock;
        this.background = new Background("chaos-replication-monitor", this::loop);
    }

    void start() {
        background.start();
    }

    /** At the last poll, every master of every cluster had an online replica. */
    boolean allReplicated() {
        return allReplicated;
    }

    long polls() {
        return polls;
    }

    private void loop() {
        while (!background.stopping()) {
            long started = clock.now();
            try {
                pollOnce();
            } catch (RuntimeException e) {
                LOG.warn("replication monitor round failed: {}", e.toString());
            }
            polls++;
            try {
                Thread.sleep(Math.max(10, INTERVAL_MILLIS - (clock.now() - started)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pollOnce() {
        try {
            names = broker.clusterNames();
            history.recordLiveClusters(names);
        } catch (BrokerApi.Unavailable e) {
            // the broker is down: keep watching the clusters known so far
        }
        boolean all = true;
        Map<SingleCopyWindows.Shard, String> unreplicated = new HashMap<>();
        for (String name : names) {
            ClusterLayout layout = history.latest(name);
            try {
                Optional<ClusterView> v = broker.cluster(name);
                if (v.isPresent()) {
                    layout = ClusterLayout.of(v.get());
                    history.recordLayout(clock.now(), layout);
                }
            } catch (BrokerApi.Unavailable e) {
                // keep the last layout
            }
            if (layout == null) {
                continue;
            }
            BitSet single = new BitSet(SlotHash.SLOT_NUM);
            for (String master : layout.masters()) {
                if (!replicatedTo(master, layout.replicasOf(master))) {
                    BitSet slots = layout.slotsOf(List.of(master));
                    single.or(slots);
                    unreplicated.put(new SingleCopyWindows.Shard(name, master), ClusterLayout.ranges(slots));
                    all = false;
                }
            }
            history.recordSingleCopy(clock.now(), name, single);
        }
        windows.poll(clock.now(), unreplicated);
        allReplicated = all;
    }

    /** True when the master answers as a master and every listed replica is attached to it in state online. */
    private boolean replicatedTo(String address, java.util.Set<String> replicas) {
        if (replicas.isEmpty()) {
            return false;
        }
        try {
            Jedis j = connections.computeIfAbsent(address, a -> new Jedis(HostAndPort.from(a), CONFIG));
            return inSync(j.info("replication"), replicas);
        } catch (RuntimeException e) {
            Jedis j = connections.remove(address);
            if (j != null) {
                j.close();
            }
            return false;
        }
    }

    /**
     * Reads {@code INFO replication} of a master: role master, and each expected replica (host:port)
     * listed as {@code slaveN:ip=...,port=...,state=online,...}.
     */
    static boolean inSync(String info, java.util.Set<String> replicas) {
        boolean master = false;
        java.util.Set<String> online = new java.util.HashSet<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("role:")) {
                master = line.substring(5).strip().equals("master");
            } else if (line.startsWith("slave") && line.contains(":ip=")) {
                java.util.Map<String, String> fields = new java.util.HashMap<>();
                for (String kv : line.substring(line.indexOf(':') + 1).split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        fields.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
                if ("online".equals(fields.get("state"))) {
                    online.add(fields.get("ip") + ":" + fields.get("port"));
                }
            }
        }
        return master && online.containsAll(replicas);
    }

    @Override
    public void close() {
        background.close();
        connections.values().forEach(Jedis::close);
        connections.clear();
    }
}
