package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.local.LocalCluster;
import io.undermoon.process.RedisProcess;
import io.undermoon.process.Repository;
import io.undermoon.testkit.Resp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;

/**
 * End to end with every program as a process: a 4-node cluster on 6 proxies; kill -9 one proxy of
 * the cluster together with its two Redis; the coordinator detects it, the broker fails it over
 * (replica promoted, replacement from the free pool) and every slot is writable again.
 */
class FailoverIT {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);

    @Test
    void aKilledProxyIsFailedOverAndAcknowledgedWritesSurvive() throws Exception {
        try (LocalCluster lc = LocalCluster.builder().proxies(6).hosts(2)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            lc.createCluster("mycluster", 4);
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
            List<LocalCluster.ProxyNode> serving = lc.servingProxies("mycluster");
            assertThat(serving).hasSize(2);
            assertThat(serving.get(0).host()).isNotEqualTo(serving.get(1).host());

            List<String> acknowledged = new ArrayList<>();
            try (JedisCluster jc = ClusterProbe.client(lc, 2000, 5)) {
                for (int i = 0; i < 10_000; i++) {
                    String k = "key:" + i;
                    if ("OK".equals(jc.set(k, "value:" + i))) {
                        acknowledged.add(k);
                    }
                }
            }
            assertThat(acknowledged).hasSize(10_000);
            // Redis replicates asynchronously: what a failover keeps is what reached the replica.
            // Wait for every master of the cluster to have an online replica at its offset.
            for (LocalCluster.ProxyNode p : serving) {
                for (RedisProcess r : List.of(p.redis1(), p.redis2())) {
                    lc.await("the replica of " + r.address() + " caught up", Duration.ofSeconds(60), () -> ClusterProbe.replicaCaughtUp(r));
                }
            }

            LocalCluster.ProxyNode victim = serving.get(0);
            long t0 = System.nanoTime();
            victim.killWithRedis();
            lc.await("all slots writable after the failover", Duration.ofSeconds(60), () -> ClusterProbe.allSlotsWritable(lc));
            long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LOG.info("kill to all slots writable: {} ms", recoveryMillis);

            int missing = 0;
            int wrong = 0;
            try (JedisCluster jc = ClusterProbe.client(lc, 2000, 5)) {
                for (String k : acknowledged) {
                    String v = jc.get(k);
                    if (v == null) {
                        missing++;
                    } else if (!v.equals("value:" + k.substring(4))) {
                        wrong++;
                    }
                }
            }
            LOG.info("after the failover: {} of {} acknowledged keys missing (replication window), {} wrong",
                    missing, acknowledged.size(), wrong);
            assertThat(wrong).isZero();
            // every write had reached a replica before the kill
            assertThat(missing).as("acknowledged writes lost").isLessThanOrEqualTo(acknowledged.size() / 100);

            // the replacement proxy joins: the cluster is again served by two proxies
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(60));
            assertThat(lc.servingProxies("mycluster")).doesNotContain(victim);

            // a restarted replica Redis comes back as the replica of the right master
            LocalCluster.ProxyNode replacement = lc.servingProxies("mycluster").stream()
                    .filter(p -> !serving.contains(p)).findFirst().orElseThrow();
            RedisProcess replicaRedis = replacement.redis1();
            String before = ClusterProbe.role(replicaRedis);
            assertThat(before).startsWith("replica of ");
            replicaRedis.restart();
            lc.await("the restarted Redis is a replica again", Duration.ofSeconds(30),
                    () -> before.equals(ClusterProbe.role(replicaRedis)));
        }
    }

}
