package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Cluster mode keeps Redis Cluster's rules (SCAN covers every local master); proxy mode without loops; the slow log. */
class WideCommandsIT {
    @Test
    void crossSlotIsRefusedAndScanWalksEveryLocalMaster() throws Exception {
        try (ProxyModeCluster cluster = new ProxyModeCluster(false);
                Jedis p0 = new Jedis("127.0.0.1", cluster.port(0))) {
            String a = ProxyModeIT.keyIn(0, 4095, "c:");
            String b = ProxyModeIT.keyIn(4096, 8191, "c:");
            assertThatThrownBy(() -> p0.mget(a, b)).hasMessageContaining("CROSSSLOT");
            assertThatThrownBy(() -> p0.del(a, b)).hasMessageContaining("CROSSSLOT");
            assertThatThrownBy(() -> p0.mset(a, "1", b, "2")).hasMessageContaining("CROSSSLOT");
            Set<String> local = new HashSet<>();
            for (int i = 0; local.size() < 100; i++) {
                String k = "c:" + i;
                int slot = io.undermoon.model.SlotHash.slot(k);
                if (slot < 8192) {
                    p0.set(k, "1");
                    local.add(k);
                }
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                ScanResult<String> page = p0.scan(cursor, new ScanParams().count(10));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertThat(seen).isEqualTo(local);
            assertThat(p0.dbSize()).isEqualTo(100);
        }
    }

    @Test
    void disagreeingProxiesCannotForwardAPartForeverAndAFailedPartIsTheError() throws Exception {
        try (ProxyModeCluster cluster = new ProxyModeCluster(true);
                Jedis p0 = new Jedis("127.0.0.1", cluster.port(0))) {
            String a = ProxyModeIT.keyIn(0, 4095, "l:");
            String b = ProxyModeIT.keyIn(12288, 16383, "l:");
            // each proxy believes the other owns 0-4095
            for (int p = 0; p < 2; p++) {
                String mine = p == 0 ? cluster.redis.get(1).address() + " 1 4096-8191"
                        : cluster.redis.get(2).address() + " 1 8192-12287 " + cluster.redis.get(3).address() + " 1 12288-16383";
                String peer = p == 0 ? " PEER " + cluster.address(1) + " 2 0-4095 8192-16383"
                        : " PEER " + cluster.address(0) + " 2 0-4095 4096-8191";
                assertThat(TwoProxyCluster.inline(cluster.port(p), "UMCTL SETCLUSTER v2 2 NOFLAG mycluster " + mine + peer))
                        .isEqualTo("+OK");
            }
            assertThatThrownBy(() -> p0.mget(a, b)).hasMessageContaining("ERR_TOO_MANY_REDIRECTIONS");
            assertThatThrownBy(() -> p0.del(a, b)).hasMessageContaining("ERR_TOO_MANY_REDIRECTIONS");
            // a part whose Redis is gone: the whole command gets that part's error
            cluster.setCluster(3);
            cluster.redis.get(3).close();
            assertThatThrownBy(() -> p0.mget(a, b)).hasMessageContaining("ERR_BACKEND_CONNECTION");
            assertThat(p0.mget(a, ProxyModeIT.keyIn(8192, 12287, "l:"))).containsExactly(null, null);
        }
    }

    @Test
    void slowLogMeasuresEveryStage() throws Exception {
        try (ProxyModeCluster cluster = new ProxyModeCluster(true);
                Jedis p0 = new Jedis("127.0.0.1", cluster.port(0))) {
            p0.configSet("slowlog_sample_rate", "1");
            p0.configSet("slowlog_log_slower_than", "-1");
            String local = ProxyModeIT.keyIn(0, 4095, "sl:");
            String remote = ProxyModeIT.keyIn(12288, 16383, "sl:");
            p0.set(local, "1");
            p0.set(remote, "2");
            @SuppressWarnings("unchecked")
            List<List<byte[]>> entries = (List<List<byte[]>>) p0.sendCommand(() -> "UMCTL".getBytes(), "SLOWLOG", "GET");
            int checked = 0;
            for (List<byte[]> e : entries) {
                Map<String, String> f = new LinkedHashMap<>();
                for (byte[] b : e) {
                    String line = new String(b);
                    f.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
                }
                if (!f.get("command").startsWith("SET sl:")) {
                    continue;
                }
                checked++;
                assertThat(f.get("sent_to_migration_backend")).as(f.toString()).isEqualTo("0");
                long previous = 0;
                for (String stage : List.of("sent_to_cluster", "sent_to_queue", "queue_received", "sent_to_backend",
                        "received_from_backend", "wait_done")) {
                    long v = Long.parseLong(f.get(stage));
                    assertThat(v).as(stage + " in " + f).isPositive().isGreaterThanOrEqualTo(previous);
                    previous = v;
                }
            }
            assertThat(checked).isEqualTo(2);
        }
    }
}
