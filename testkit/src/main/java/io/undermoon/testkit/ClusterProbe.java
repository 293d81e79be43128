package io.undermoon.testkit;

import io.undermoon.local.LocalCluster;
import io.undermoon.model.SlotHash;
import io.undermoon.process.RedisProcess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * The one client-side probe of a local system for the tests and the benchmarks: whether every part
 * of the slot space accepts writes through a cluster client, and where a Redis stands in its
 * replication (INFO replication as a client sees it).
 */
public final class ClusterProbe {
    /** One key for every 256th slot: 64 keys spread over the whole slot space. */
    public static final List<String> PROBE_KEYS = probeKeys(256);

    private ClusterProbe() {}

    /** One key in every {@code every}-th slot, from slot 0. */
    public static List<String> probeKeys(int every) {
        List<String> keys = new ArrayList<>();
        for (int slot = 0; slot < SlotHash.SLOT_NUM; slot += every) {
            for (int i = 0; ; i++) {
                String k = "probe:" + i;
                if (SlotHash.slot(k) == slot) {
                    keys.add(k);
                    break;
                }
            }
        }
        return keys;
    }

    /** A cluster client bootstrapped from every live proxy of the system. */
    public static JedisCluster client(LocalCluster lc, int timeoutMillis, int attempts) {
        Set<HostAndPort> nodes = new HashSet<>();
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            if (p.process().isAlive()) {
                nodes.add(new HostAndPort("127.0.0.1", p.port()));
            }
        }
        return new JedisCluster(nodes, timeoutMillis, attempts);
    }

    /** True when a fresh client (1 s timeout, 3 attempts) can write every probe key. */
    public static boolean allSlotsWritable(LocalCluster lc) {
        return allSlotsWritable(lc, 1000, 3);
    }

    /** True when a fresh client with these settings can write every probe key. */
    public static boolean allSlotsWritable(LocalCluster lc, int timeoutMillis, int attempts) {
        try (JedisCluster jc = client(lc, timeoutMillis, attempts)) {
            for (String k : PROBE_KEYS) {
                if (!"OK".equals(jc.set(k, "1"))) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** True for a replica, or a master whose replica is online at the master's replication offset. */
    public static boolean replicaCaughtUp(RedisProcess r) {
        try {
            String info = replicationInfo(r);
            if (info.contains("role:slave")) {
                return true;
            }
            long offset = info.lines().filter(l -> l.startsWith("master_repl_offset:"))
                    .mapToLong(l -> Long.parseLong(l.substring(19).strip())).findFirst().orElse(-1);
            return info.lines().filter(l -> l.startsWith("slave0:")).anyMatch(l ->
                    l.contains("state=online") && l.contains(",offset=" + offset + ","));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code master}, {@code replica of <port>}, or {@code unreachable}. */
    public static String role(RedisProcess r) {
        try {
            String info = replicationInfo(r);
            String role = info.lines().filter(l -> l.startsWith("role:")).findFirst().orElse("role:?").substring(5).strip();
            if (role.equals("slave")) {
                return "replica of " + info.lines().filter(l -> l.startsWith("master_port:")).findFirst().orElse("?").substring(12).strip();
            }
            return role;
        } catch (RuntimeException e) {
            return "unreachable";
        }
    }

    private static String replicationInfo(RedisProcess r) {
        try (Jedis j = new Jedis("127.0.0.1", r.port(), 2000)) {
            return j.info("replication");
        }
    }
}
