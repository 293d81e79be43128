package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Cluster mode (active_redirection = false) keeps Redis Cluster's rules; SCAN covers every local master. */
class ClusterModeWideIT {
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
}
