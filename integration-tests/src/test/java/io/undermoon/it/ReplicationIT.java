package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.RedisProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** UMCTL SETREPL turns into real Redis replication, re-asserted after a Redis restart. */
class ReplicationIT {


    @Test
    void setReplMakesMastersAndReplicasAndSurvivesRestarts() throws Exception {
        try (RedisProcess a = RedisProcess.start(); RedisProcess b = RedisProcess.start()) {
            ServerProxy proxy = TwoProxyCluster.startProxy(Map.of("replication_interval", 300));
            try {
                int port = proxy.port();
                String self = "127.0.0.1:" + port;
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 1 NOFLAG master c " + a.address() + " 1 " + b.address()
                        + " " + self + " replica c " + b.address() + " 1 " + a.address() + " " + self)).isEqualTo("+OK");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 1 NOFLAG c " + a.address() + " 1 0-16383"))
                        .isEqualTo("+OK");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(ClusterProbe.role(a)).isEqualTo("master");
                    assertThat(ClusterProbe.role(b)).isEqualTo("replica of " + a.port());
                });
                try (Jedis client = new Jedis("127.0.0.1", port)) {
                    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                            .untilAsserted(() -> assertThat(client.set("k", "v1")).isEqualTo("OK"));
                }
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", b.port())) {
                        assertThat(j.get("k")).isEqualTo("v1");
                    }
                });
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 1 NOFLAG master c " + b.address() + " 0"))
                        .isEqualTo("-OLD_EPOCH");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 2 NOFLAG master c 10.9.9.9:6379 0"))
                        .isEqualTo("-ERR_NOT_MY_META");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 2 NOFLAG boss c x 0")).isEqualTo("-Invalid arguments");

                // a restarted replica gets its role back
                b.restart();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ClusterProbe.role(b)).isEqualTo("replica of " + a.port()));
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", b.port())) {
                        assertThat(j.get("k")).isEqualTo("v1");
                    }
                });

                // failover: b becomes the master, a its replica
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 3 NOFLAG master c " + b.address() + " 1 " + a.address()
                        + " " + self + " replica c " + a.address() + " 1 " + b.address() + " " + self)).isEqualTo("+OK");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 3 NOFLAG c " + b.address() + " 1 0-16383"))
                        .isEqualTo("+OK");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(ClusterProbe.role(b)).isEqualTo("master");
                    assertThat(ClusterProbe.role(a)).isEqualTo("replica of " + b.port());
                });
                try (Jedis client = new Jedis("127.0.0.1", port)) {
                    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                            .untilAsserted(() -> assertThat(client.get("k")).isEqualTo("v1"));
                    assertThat(client.set("k", "v2")).isEqualTo("OK");
                }
                String infoRepl = TwoProxyCluster.inline(port, "UMCTL READY");
                assertThat(infoRepl).isEqualTo(":1");
            } finally {
                proxy.close();
            }
        }
    }

    /**
     * A restarted Redis comes back as a master of nobody. Its proxy notices within about a second
     * (ROLE looked at every 500 ms), not at the next re-assertion: a replica left without its role
     * for the whole replication_interval meant its master ran as the only copy of its slots that
     * long (the chaos harness counted such single-copy windows of up to 7 s, and the writes a
     * failover lost in them).
     */
    @Test
    void aRestartedNodeGetsItsRoleBackWithinASecondWhateverTheInterval() throws Exception {
        try (RedisProcess a = RedisProcess.start(); RedisProcess b = RedisProcess.start()) {
            ServerProxy proxy = TwoProxyCluster.startProxy(Map.of("replication_interval", 60_000));
            try {
                int port = proxy.port();
                String self = "127.0.0.1:" + port;
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 1 NOFLAG master c " + a.address() + " 1 " + b.address()
                        + " " + self + " replica c " + b.address() + " 1 " + a.address() + " " + self)).isEqualTo("+OK");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(ClusterProbe.role(a)).isEqualTo("master");
                    assertThat(ClusterProbe.role(b)).isEqualTo("replica of " + a.port());
                });
                b.restart();
                await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(ClusterProbe.role(b)).isEqualTo("replica of " + a.port()));
                // a master turned into a replica behind the proxy's back is promoted again as quickly
                try (Jedis j = new Jedis("127.0.0.1", a.port())) {
                    j.replicaof("127.0.0.1", b.port());
                }
                await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(ClusterProbe.role(a)).isEqualTo("master"));
            } finally {
                proxy.close();
            }
        }
    }

    @Test
    void aFreeNodeJoiningAClusterAsMasterIsFlushedButAMasterIsNever() throws Exception {
        try (RedisProcess a = RedisProcess.start(); RedisProcess b = RedisProcess.start()) {
            ServerProxy proxy = TwoProxyCluster.startProxy(Map.of("replication_interval", 300));
            try (Jedis ra = new Jedis("127.0.0.1", a.port()); Jedis rb = new Jedis("127.0.0.1", b.port())) {
                int port = proxy.port();
                ra.set("stale", "from an earlier cluster");
                rb.set("kept", "data of a node that was never free");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 1 NOFLAG master \"\" " + a.address() + " 0 master c "
                        + b.address() + " 0")).isEqualTo("+OK");
                Thread.sleep(500);
                assertThat(ra.get("stale")).isEqualTo("from an earlier cluster");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 2 NOFLAG master c " + a.address() + " 0 master c "
                        + b.address() + " 0")).isEqualTo("+OK");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ra.exists("stale")).isFalse());
                assertThat(rb.get("kept")).isEqualTo("data of a node that was never free");
            } finally {
                proxy.close();
            }
        }
    }

    @Test
    void aMasterThatCannotBePromotedIsNotServed() throws Exception {
        try (RedisProcess a = RedisProcess.start()) {
            ServerProxy proxy = TwoProxyCluster.startProxy(Map.of("replication_interval", 300));
            try (Jedis client = new Jedis("127.0.0.1", proxy.port())) {
                a.kill();
                int port = proxy.port();
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETREPL 1 NOFLAG master c " + a.address() + " 0")).isEqualTo("+OK");
                assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 1 NOFLAG c " + a.address() + " 1 0-16383"))
                        .isEqualTo("+OK");
                assertThatThrownBy(() -> client.set("k", "v")).hasMessageContaining("TRYAGAIN");
                a.restart();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(client.set("k", "v")).isEqualTo("OK"));
            } finally {
                proxy.close();
            }
        }
    }
}
