package io.undermoon.local;

import io.undermoon.process.RedisProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link LocalCluster} is made of (proxies, hosts, coordinators, brokers, etcd members, data
 * directory, ports, Redis persistence, extra settings of each program) and {@link #start()}, which
 * starts it or stops whatever it started.
 */
public final class LocalClusterBuilder {
    int proxies = 6;
    int hosts = 2;
    int coordinators = 1;
    int brokers = 1;
    int etcdMembers;
    Path dataDir;
    boolean fixedPorts;
    boolean redisAppendOnly;
    int redisDisklessSyncDelay;
    LocalCluster.Runtime runtime = LocalCluster.Runtime.current();
    final Map<String, String> brokerEnv = new HashMap<>();
    final Map<String, String> proxyEnv = new HashMap<>();
    final Map<String, String> coordinatorEnv = new HashMap<>();

    public LocalClusterBuilder proxies(int n) {
        this.proxies = n;
        return this;
    }

    public LocalClusterBuilder hosts(int n) {
        this.hosts = n;
        return this;
    }

    public LocalClusterBuilder coordinators(int n) {
        this.coordinators = n;
        return this;
    }

    /** How many brokers (more than one needs {@link #etcd(int)}). */
    public LocalClusterBuilder brokers(int n) {
        this.brokers = n;
        return this;
    }

    /** Keep the store in an etcd cluster of {@code members} real members (0: the memory broker's meta file). */
    public LocalClusterBuilder etcd(int members) {
        this.etcdMembers = members;
        return this;
    }

    /** Where metadata and logs go (a temporary directory when not set). */
    public LocalClusterBuilder dataDir(Path dir) {
        this.dataDir = dir;
        return this;
    }

    /** Use the reference's well-known ports (broker 7799, coordinator 6699, proxies 6001.., Redis 7001..) when free. */
    public LocalClusterBuilder fixedPorts(boolean fixed) {
        this.fixedPorts = fixed;
        return this;
    }

    /**
     * Run every Redis with an append-only file fsynced before each reply ({@code --appendonly yes
     * --appendfsync always}), so that a Redis killed with kill -9 and restarted
     * ({@link RedisProcess#restart()} keeps its directory) comes back with every write it
     * acknowledged. Off by default: without it a restarted Redis is empty.
     */
    public LocalClusterBuilder redisAppendOnly(boolean appendOnly) {
        this.redisAppendOnly = appendOnly;
        return this;
    }

    /**
     * Redis's {@code repl-diskless-sync-delay} in seconds. {@link RedisProcess} starts every Redis
     * with 0 (a replica that attaches is synced at once); 5 is Redis's own default, what a user's
     * plain {@code redis-server} runs with: a first sync then waits 5 s before it starts.
     */
    public LocalClusterBuilder redisDisklessSyncDelay(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("repl-diskless-sync-delay must not be negative");
        }
        this.redisDisklessSyncDelay = seconds;
        return this;
    }

    public LocalClusterBuilder runtime(LocalCluster.Runtime runtime) {
        this.runtime = runtime;
        return this;
    }

    public LocalClusterBuilder brokerEnv(String key, String value) {
        brokerEnv.put(key, value);
        return this;
    }

    public LocalClusterBuilder proxyEnv(String key, String value) {
        proxyEnv.put(key, value);
        return this;
    }

    public LocalClusterBuilder coordinatorEnv(String key, String value) {
        coordinatorEnv.put(key, value);
        return this;
    }

    public LocalCluster start() {
        if (proxies < 2 || hosts < 2) {
            throw new IllegalArgumentException("need at least 2 proxies on 2 hosts");
        }
        if (brokers < 1 || (brokers > 1 && etcdMembers == 0)) {
            throw new IllegalArgumentException("several brokers share a store only with etcd (--etcd)");
        }
        LocalCluster c = new LocalCluster(this);
        try {
            c.startAll();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
