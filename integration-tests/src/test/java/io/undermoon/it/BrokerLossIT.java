package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.local.LocalCluster;
import io.undermoon.process.RedisProcess;
import io.undermoon.process.Repository;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;

/**
 * High availability without a human: three brokers on a 3-member etcd cluster, one coordinator given
 * every broker address. A whole simulated machine dies (kill -9 of a broker, an etcd member, and a
 * master proxy with its two Redis) and the failover completes with no manual step; the surviving
 * brokers keep serving the whole API and nothing acknowledged is lost.
 */
class BrokerLossIT {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLossIT.class);

    @Test
    void aMachineWithABrokerAnEtcdMemberAndAMasterProxyDiesAndTheFailoverNeedsNoHuman() throws Exception {
        try (LocalCluster lc = LocalCluster.builder().proxies(6).hosts(2).etcd(3).brokers(3)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            lc.createCluster("mycluster", 4);
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
            List<LocalCluster.ProxyNode> serving = lc.servingProxies("mycluster");
            try (JedisCluster jc = ClusterProbe.client(lc, 2000, 5)) {
                for (int i = 0; i < 2000; i++) {
                    assertThat(jc.set("key:" + i, "value:" + i)).isEqualTo("OK");
                }
            }
            for (LocalCluster.ProxyNode p : serving) {
                for (RedisProcess r : List.of(p.redis1(), p.redis2())) {
                    lc.await("the replica of " + r.address() + " caught up", Duration.ofSeconds(60),
                            () -> ClusterProbe.replicaCaughtUp(r));
                }
            }
            long epochBefore = epoch(lc, lc.brokerAddresses().get(1));

            // the machine of broker 1 and etcd member 1 also runs a master proxy of the cluster
            LocalCluster.ProxyNode victim = serving.get(0);
            lc.brokers().get(0).kill();
            lc.etcd().member(0).kill();
            long t0 = System.nanoTime();
            victim.killWithRedis();
            lc.await("all slots writable after the failover", Duration.ofSeconds(60), () -> ClusterProbe.allSlotsWritable(lc));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LOG.info("machine failure (broker + etcd member + master proxy and its Redis) to all slots writable: {} ms", ms);
            assertThat(ms).as("failover time after the machine failure").isLessThan(15_000);

            // the surviving brokers agree, serve the failover they committed, and the epoch grew
            String b2 = lc.brokerAddresses().get(1);
            String b3 = lc.brokerAddresses().get(2);
            lc.await("brokers agree", Duration.ofSeconds(10), () ->
                    lc.http(b2, "GET", "/api/v3/metadata", null).body().equals(lc.http(b3, "GET", "/api/v3/metadata", null).body()));
            String meta = lc.http(b2, "GET", "/api/v3/clusters/meta/mycluster", null).body();
            assertThat(meta).doesNotContain(victim.address());
            assertThat(epoch(lc, b2)).isGreaterThan(epochBefore);

            int missing = 0;
            try (JedisCluster jc = ClusterProbe.client(lc, 2000, 5)) {
                for (int i = 0; i < 2000; i++) {
                    String v = jc.get("key:" + i);
                    if (v == null) {
                        missing++;
                    } else {
                        assertThat(v).isEqualTo("value:" + i);
                    }
                }
            }
            assertThat(missing).as("acknowledged keys lost").isZero();

            // the killed broker comes back, loads the store from etcd and serves the same metadata
            lc.brokers().get(0).start();
            String b1 = lc.brokerAddresses().get(0);
            lc.await("the restarted broker serves the store", Duration.ofSeconds(60), () -> {
                try {
                    return lc.http(b1, "GET", "/api/v3/metadata", null).body().equals(lc.http(b2, "GET", "/api/v3/metadata", null).body());
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }
    }

    private static long epoch(LocalCluster lc, String broker) {
        return Long.parseLong(lc.http(broker, "GET", "/api/v3/epoch", null).body().trim());
    }
}
