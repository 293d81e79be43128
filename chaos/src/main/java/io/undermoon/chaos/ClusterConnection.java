package io.undermoon.chaos;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;

/**
 * A cluster client (Jedis) that behaves as a careful application must with undermoon's shared
 * proxy pool. A proxy that leaves a cluster (failed over, or its cluster deleted) can later serve
 * another cluster, and a cluster client that asks it for the topology (Jedis tries its seed nodes
 * first whenever it refreshes) moves over to that other cluster, keys and all. So at most once a
 * second the client's seeds are compared with the cluster's proxies as the broker lists them, and
 * the client is rebuilt when they differ; a client that already knows a node of another cluster
 * has strayed, which is counted, and is rebuilt too.
 */
final class ClusterConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnection.class);
    private static final long CHECK_MILLIS = 1000;

    private final ClusterClients factory;
    private final String cluster;
    private final int timeoutMillis;
    private final int attempts;
    private final RunClock clock;
    private final LongAdder strays;
    private JedisCluster client;
    private Set<String> seeds = Set.of();
    private long checkedAt;

    ClusterConnection(ClusterClients factory, String cluster, int timeoutMillis, int attempts, RunClock clock, LongAdder strays) {
        this.factory = factory;
        this.cluster = cluster;
        this.timeoutMillis = timeoutMillis;
        this.attempts = attempts;
        this.clock = clock;
        this.strays = strays;
    }

    /**
     * The client, (re)built when needed.
     *
     * @throws RuntimeException when no proxy of the cluster answers
     */
    JedisCluster client() {
        long now = clock.now();
        if (client != null && now - checkedAt >= CHECK_MILLIS) {
            checkedAt = now;
            Set<String> current = factory.proxiesOf(cluster);
            Set<String> known = new TreeSet<>(client.getClusterNodes().keySet());
            known.retainAll(factory.history().proxiesOfOtherClusters(cluster));
            known.removeAll(current);
            if (!known.isEmpty()) {
                strays.increment();
                LOG.warn("a cluster client of {} strayed: it knows {} of another cluster (run time {} ms); rebuilt",
                        cluster, known, now);
                reset();
            } else if (!current.isEmpty() && !current.equals(seeds)) {
                reset();
            }
        }
        if (client == null) {
            Set<String> proxies = factory.proxiesOf(cluster);
            client = factory.connect(proxies, cluster, timeoutMillis, attempts);
            seeds = proxies;
            checkedAt = now;
        }
        return client;
    }

    /** Drops the client; the next {@link #client()} builds a new one from the broker's proxies. */
    void reset() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() {
        reset();
    }
}
