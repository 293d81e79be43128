package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis whose proxy was failed over while it was down keeps its old data (append-only file, or a
 * proxy-only crash); when the restarted proxy's node is given out again as a master of a new chunk,
 * that data must not pass for the cluster's (found by the chaos harness: a scale-out right after a
 * machine came back imported over the stale keys, and reads returned values minutes old). The
 * restarted proxy never saw the node free, so the rule that flushes free nodes did not apply.
 */
class LeftoverDataIT {

    private static String inline(ServerProxy p, String command) throws Exception {
        return TwoProxyCluster.inline(p.port(), command);
    }

    private static Object dbsize(RedisProcess r) throws Exception {
        return Resp.command(r.address(), "DBSIZE");
    }

    @Test
    void aMasterWithoutSlotsIsFlushedEvenByAFreshProxy() throws Exception {
        try (RedisProcess stale = RedisProcess.start(); RedisProcess live = RedisProcess.start();
                ServerProxy fresh = TwoProxyCluster.startProxy(Map.of("replication_interval", 60_000L))) {
            for (int i = 0; i < 20; i++) {
                Resp.command(stale.address(), "SET", "old:" + i, "from an earlier life");
                Resp.command(live.address(), "SET", "data:" + i, "the cluster's");
            }
            // the restarted proxy's first metadata: both nodes masters of the cluster; only "live" has slots
            assertThat(inline(fresh, "UMCTL SETREPL 7 NOFLAG master mycluster " + stale.address() + " 0 master mycluster "
                    + live.address() + " 0")).isEqualTo("+OK");
            assertThat(inline(fresh, "UMCTL SETCLUSTER v2 7 NOFLAG mycluster " + live.address() + " 1 0-8191 PEER "
                    + "127.0.0.1:1 1 8192-16383")).isEqualTo("+OK");
            await().atMost(Duration.ofSeconds(10)).until(() -> ":0".equals(dbsize(stale)));
            // a master with slots keeps its data
            Thread.sleep(500);
            assertThat(dbsize(live)).isEqualTo(":20");

            // the slot-less node gets slots (its migration): a later SETCLUSTER does not flush it again
            Resp.command(stale.address(), "SET", "imported", "x");
            assertThat(inline(fresh, "UMCTL SETCLUSTER v2 8 NOFLAG mycluster " + live.address() + " 1 0-8191 "
                    + stale.address() + " 1 8192-16383")).isEqualTo("+OK");
            Thread.sleep(500);
            assertThat(dbsize(stale)).isEqualTo(":1");
        }
    }
}
