package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import io.undermoon.model.broker.ClusterView;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * Every {@value #INTERVAL_MILLIS} ms: reads every cluster's layout from the broker (the last one
 * known while the broker is down) and asks each master Redis for {@code INFO replication}. A
 * master's slots have a single copy when it is unreachable, is not a master (yet), or has no
 * replica in state {@code online}. Both go into the {@link ClusterHistory} the loss classifier
 * reads.
 */
final class ReplicationMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);
    static final long INTERVAL_MILLIS = 250;
    private static final JedisClientConfig CONFIG = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(300).socketTimeoutMillis(500).build();

    private final BrokerApi broker;
    private final ClusterHistory history;
    private final RunClock clock;
    private final Map<String, Jedis> connections = new HashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile List<String> names = List.of();
    private volatile boolean allReplicated;
    private volatile long polls;

    ReplicationMonitor(BrokerApi broker, ClusterHistory history, RunClock clock) {
        this.broker = broker;
        this.history = history;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("chaos-replication-monitor").daemon().unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** At the last poll, every master of every cluster had an online replica. */
    boolean allReplicated() {
        return allReplicated;
    }

    long polls() {
        return polls;
    }

    private void loop() {
        while (!stop.get()) {
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
                if (!hasOnlineReplica(master)) {
                    single.or(layout.slotsOf(List.of(master)));
                    all = false;
                }
            }
            history.recordSingleCopy(clock.now(), name, single);
        }
        allReplicated = all;
    }

    private boolean hasOnlineReplica(String address) {
        try {
            Jedis j = connections.computeIfAbsent(address, a -> new Jedis(HostAndPort.from(a), CONFIG));
            String info = j.info("replication");
            boolean master = false;
            boolean online = false;
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("role:")) {
                    master = line.substring(5).strip().equals("master");
                } else if (line.startsWith("slave") && line.contains("state=online")) {
                    online = true;
                }
            }
            return master && online;
        } catch (RuntimeException e) {
            Jedis j = connections.remove(address);
            if (j != null) {
                j.close();
            }
            return false;
        }
    }

    @Override
    public void close() {
        stop.set(true);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.values().forEach(Jedis::close);
        connections.clear();
    }
}
