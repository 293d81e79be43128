package io.undermoon.it;

import io.undermoon.model.SlotHash;
import io.undermoon.local.LocalCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** Checks from a client's point of view whether every part of the slot space accepts writes. */
final class ClusterProbe {
    /** One key for every 256th slot: 64 keys spread over the whole slot space. */
    static final List<String> PROBE_KEYS = probeKeys(256);

    private ClusterProbe() {}

    static List<String> probeKeys(int every) {
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
    static JedisCluster client(LocalCluster lc, int timeoutMillis, int attempts) {
        Set<HostAndPort> nodes = new HashSet<>();
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            if (p.process().isAlive()) {
                nodes.add(new HostAndPort("127.0.0.1", p.port()));
            }
        }
        return new JedisCluster(nodes, timeoutMillis, attempts);
    }

    /** True when a fresh client can write every probe key. */
    static boolean allSlotsWritable(LocalCluster lc) {
        try (JedisCluster jc = client(lc, 1000, 3)) {
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
}
