package io.undermoon.it;

import java.util.Map;
import io.undermoon.local.BrokerHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.local.LocalCluster;
import io.undermoon.process.Repository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A cluster password (our extension of the cluster config) keeps a client away from data of a
 * cluster it did not mean: proxies are shared by clusters, and a client following a stale
 * topology to a proxy that now serves another cluster must get an error, not that cluster's keys
 * (the chaos harness saw clients stray this way and read "lost" keys in the other cluster).
 */
class ClusterPasswordIT {

    private static JedisClientConfig config(String password) {
        return DefaultJedisClientConfig.builder().password(password).socketTimeoutMillis(3000).connectionTimeoutMillis(3000)
                .build();
    }

    private static HostAndPort hp(LocalCluster.ProxyNode p) {
        return new HostAndPort("127.0.0.1", p.port());
    }

    private static void create(LocalCluster lc, String name, String password) {
        HttpResponse<String> r = lc.http("POST", "/api/v3/clusters/meta/" + name,
                BrokerHttp.json(Map.of("node_number", 4, "config", Map.of("password", password))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aClientOfOneClusterCannotUseAnotherClustersData() throws Exception {
        try (LocalCluster lc = LocalCluster.builder().proxies(4).hosts(2)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            // an invalid password is refused with a clear error that does not echo it
            HttpResponse<String> bad = lc.http("POST", "/api/v3/clusters/meta/alpha",
                    BrokerHttp.json(Map.of("node_number", 4, "config", Map.of("password", "has space"))));
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("INVALID_CONFIG").doesNotContain("has space");
            assertThat(lc.http("GET", "/api/v3/clusters/meta/alpha", null).body()).isEqualTo("{\"cluster\":null}");

            create(lc, "alpha", "alpha-pw");
            create(lc, "beta", "beta-pw");
            lc.awaitServing("alpha", 4, Duration.ofSeconds(120));
            lc.awaitServing("beta", 4, Duration.ofSeconds(120));
            LocalCluster.ProxyNode a = lc.servingProxies("alpha").get(0);
            LocalCluster.ProxyNode b = lc.servingProxies("beta").get(0);

            // without AUTH: topology yes, data no (the coordinator pushes the password with SETCLUSTER)
            try (Jedis anonymous = new Jedis(hp(a), config(null))) {
                lc.await("alpha's proxy asks for its password", Duration.ofSeconds(30), () -> {
                    try {
                        anonymous.dbSize();
                        return false;
                    } catch (JedisException e) {
                        return e.getMessage().contains("NOAUTH");
                    }
                });
                assertThat(anonymous.clusterSlots()).isNotEmpty();
            }

            // each cluster's own clients work
            try (JedisCluster alpha = new JedisCluster(Set.of(hp(a)), config("alpha-pw"), 5);
                    JedisCluster beta = new JedisCluster(Set.of(hp(b)), config("beta-pw"), 5)) {
                for (int i = 0; i < 200; i++) {
                    assertThat(alpha.set("k" + i, "alpha")).isEqualTo("OK");
                    assertThat(beta.set("k" + i, "beta")).isEqualTo("OK");
                }
                assertThat(alpha.get("k7")).isEqualTo("alpha");
                assertThat(beta.get("k7")).isEqualTo("beta");
            }

            // alpha's password opens nothing on beta's proxies: a stale topology fails loudly
            assertThatThrownBy(() -> {
                try (Jedis wrong = new Jedis(hp(b), config("alpha-pw"))) {
                    wrong.get("k7");
                }
            }).isInstanceOf(JedisException.class).hasMessageContaining("WRONGPASS");
            assertThatThrownBy(() -> {
                try (JedisCluster stray = new JedisCluster(Set.of(hp(b)), config("alpha-pw"), 3)) {
                    stray.get("k7");
                }
            }).isInstanceOf(JedisException.class);

            // a session authenticated for alpha, whose proxy then serves another cluster, is refused
            try (Jedis held = new Jedis(hp(a), config("alpha-pw"))) {
                assertThat(held.dbSize()).isPositive();
                assertThat(lc.http("DELETE", "/api/v3/clusters/meta/alpha", null).statusCode()).isEqualTo(200);
                create(lc, "gamma", "gamma-pw");
                lc.awaitServing("gamma", 4, Duration.ofSeconds(120));
                List<LocalCluster.ProxyNode> gamma = lc.servingProxies("gamma");
                assertThat(gamma).extracting(LocalCluster.ProxyNode::address).contains(a.address());
                try (JedisCluster g = new JedisCluster(Set.of(hp(a)), config("gamma-pw"), 5)) {
                    assertThat(g.set("k7", "gamma")).isEqualTo("OK");
                }
                assertThatThrownBy(held::dbSize).isInstanceOf(JedisException.class).hasMessageContaining("NOAUTH");
                assertThatThrownBy(() -> held.get("k7")).isInstanceOf(JedisException.class).hasMessageContaining("NOAUTH");
            }
        }
    }

    /**
     * Proxy mode with a cluster password: a plain client that AUTHs with the cluster's password on
     * one proxy reaches keys of every slot, the peer-owned ones forwarded to the owning proxy.
     */
    @Test
    void proxyModeForwardsToPeersOfAClusterWithAPassword() throws Exception {
        try (LocalCluster lc = LocalCluster.builder().proxies(4).hosts(2)
                .proxyEnv("UNDERMOON_ACTIVE_REDIRECTION", "true")
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            create(lc, "gamma", "gamma-pw");
            lc.awaitServing("gamma", 4, Duration.ofSeconds(120));
            LocalCluster.ProxyNode p = lc.servingProxies("gamma").get(0);
            try (Jedis plain = new Jedis(hp(p), config("gamma-pw"))) {
                lc.await("the proxy takes gamma's password", Duration.ofSeconds(30), () -> {
                    try {
                        return "OK".equals(plain.set("probe", "1"));
                    } catch (JedisException e) {
                        return false;
                    }
                });
                for (int i = 0; i < 200; i++) { // 200 keys: both proxies' slots
                    assertThat(plain.set("k" + i, "v" + i)).as("SET k%d", i).isEqualTo("OK");
                }
                for (int i = 0; i < 200; i++) {
                    assertThat(plain.get("k" + i)).isEqualTo("v" + i);
                }
                assertThat(plain.mget("k1", "k2", "k3", "k150")).containsExactly("v1", "v2", "v3", "v150");
                assertThat(plain.dbSize()).isEqualTo(201L);
            }
        }
    }
}
