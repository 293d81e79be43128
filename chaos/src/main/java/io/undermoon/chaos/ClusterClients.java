package io.undermoon.chaos;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * Makes cluster clients (Jedis) for one cluster, seeded with the proxies the broker lists for it
 * (or the last layout seen while the broker is down). Seeding with the cluster's own proxies
 * matters: a proxy of another cluster would hand out that cluster's slots. Every cluster of the run
 * has its own password (the cluster config's {@code password}), so a client that still strays there
 * through a stale topology is refused instead of reading and writing the other cluster's keys.
 */
final class ClusterClients {
    private final BrokerApi broker;
    private final ClusterHistory history;

    ClusterClients(BrokerApi broker, ClusterHistory history) {
        this.broker = broker;
        this.history = history;
    }

    /** The password the harness gives cluster {@code cluster} (and its clients). */
    static String password(String cluster) {
        return "chaos-pw-" + cluster;
    }

    ClusterHistory history() {
        return history;
    }

    /**
     * A client with the given socket timeout and attempts (Jedis re-resolves slots and retries on
     * connection errors, at most {@code attempts} times within {@code attempts x timeout}).
     *
     * @throws redis.clients.jedis.exceptions.JedisException when no seed answers
     */
    JedisCluster connect(String cluster, int socketTimeoutMillis, int attempts) {
        return connect(proxiesOf(cluster), cluster, socketTimeoutMillis, attempts);
    }

    /** A client seeded with the given proxies. */
    JedisCluster connect(Set<String> proxies, String cluster, int socketTimeoutMillis, int attempts) {
        Set<HostAndPort> seeds = new LinkedHashSet<>();
        for (String p : proxies) {
            seeds.add(HostAndPort.from(p));
        }
        if (seeds.isEmpty()) {
            throw new IllegalStateException("no proxy known for cluster " + cluster);
        }
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.min(1000, socketTimeoutMillis)).socketTimeoutMillis(socketTimeoutMillis)
                .password(password(cluster)).build();
        return new JedisCluster(seeds, config, attempts, Duration.ofMillis((long) socketTimeoutMillis * attempts));
    }

    /** The cluster's proxies: from the broker, or the last layout seen while it is down. */
    Set<String> proxiesOf(String cluster) {
        try {
            var view = broker.cluster(cluster);
            if (view.isPresent()) {
                return ClusterLayout.of(view.get()).proxies();
            }
        } catch (BrokerApi.Unavailable e) {
            // fall back to the last layout seen
        }
        ClusterLayout last = history.latest(cluster);
        return last == null ? Set.of() : last.proxies();
    }
}
