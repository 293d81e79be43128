package io.undermoon.bench.system;

import io.undermoon.model.SlotHash;
import io.undermoon.local.LocalCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** Client-side views of a local system used by the system benchmarks. */
final class Probes {
    /** One key every 256 slots: 64 keys covering the whole slot space. */
    static final List<String> PROBE_KEYS = new ArrayList<>();

    static {
        for (int slot = 0; slot < SlotHash.SLOT_NUM; slot += 256) {
            for (int i = 0; ; i++) {
                String k = "probe:" + i;
                if (SlotHash.slot(k) == slot) {
                    PROBE_KEYS.add(k);
                    break;
                }
            }
        }
    }

    private Probes() {}

    static JedisCluster client(LocalCluster lc, int timeoutMillis, int attempts) {
        Set<HostAndPort> nodes = new HashSet<>();
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            if (p.process().isAlive()) {
                nodes.add(new HostAndPort("127.0.0.1", p.port()));
            }
        }
        return new JedisCluster(nodes, timeoutMillis, attempts);
    }

    static boolean allSlotsWritable(LocalCluster lc) {
        try (JedisCluster jc = client(lc, 500, 2)) {
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

    static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
