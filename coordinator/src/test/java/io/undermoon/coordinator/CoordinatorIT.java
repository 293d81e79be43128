package io.undermoon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.testing.BrokerHttp;
import io.undermoon.coordinator.testing.ProxyFixture;
import io.undermoon.model.SlotHash;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator against the real broker and real server proxies in front of real redis-server
 * processes: three proxies on hosts localhost1..3, a 4-node cluster on two of them, the third free.
 * Nothing here depends on Redis replication (each Redis stays a standalone master).
 */
class CoordinatorIT {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorIT.class);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private MemBroker broker;
    private BrokerHttp http;
    private final List<ProxyFixture> proxies = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resources.get(i), e.toString());
            }
        }
    }

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    /** A broker with {@code failure_quorum}, and three registered proxies. */
    private void setUp(long failureQuorum) throws Exception {
        setUp(failureQuorum, 3);
    }

    private void setUp(long failureQuorum, int proxyCount) throws Exception {
        broker = keep(MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of(
                "address", "127.0.0.1:0", "failure_quorum", failureQuorum)))));
        http = keep(new BrokerHttp(broker.address()));
        for (int i = 1; i <= proxyCount; i++) {
            ProxyFixture p = keep(ProxyFixture.start());
            proxies.add(p);
            http.addProxy(p.address(), p.nodes(), "localhost" + i);
        }
    }

    private Coordinator coordinator(Map<String, Object> overrides) throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put("address", "127.0.0.1:0");
        values.put("broker_address", broker.address());
        values.put("reporter_id", "coordinator-1");
        values.put("loop_interval_ms", 100L);
        values.put("ping_timeout_ms", 300L);
        values.put("broker_timeout_ms", 2000L);
        values.putAll(overrides);
        return keep(Coordinator.start(CoordinatorConfig.from(ConfigSource.of(values))));
    }

    private ProxyFixture proxy(String address) {
        return proxies.stream().filter(p -> p.address().equals(address)).findFirst().orElseThrow();
    }

    private ClusterStore cluster() {
        return broker.snapshot().clusters().get("mycluster");
    }

    private ChunkStore chunk() {
        return cluster().chunks().get(0);
    }

    /** Creates the 4-node cluster and waits until both of its proxies serve it. */
    private void createClusterAndAwaitSync() {
        http.createCluster("mycluster", 4);
        long epoch = cluster().epoch();
        List<String> members = chunk().proxyAddresses();
        await().atMost(WAIT).untilAsserted(() -> {
            for (String m : members) {
                assertThat(proxy(m).epoch()).as("epoch of %s", m).isEqualTo(epoch);
            }
        });
    }

    @ParameterizedTest(name = "enable_compression = {0}")
    @ValueSource(booleans = {false, true})
    void pushesTheMetadataThenFailsOverToTheFreeProxy(boolean compression) throws Exception {
        setUp(1);
        coordinator(Map.of("enable_compression", compression));

        // free proxies learn the global epoch and an empty cluster name
        long global = broker.snapshot().globalEpoch();
        await().atMost(WAIT).untilAsserted(() -> {
            for (ProxyFixture p : proxies) {
                assertThat(p.epoch()).as("epoch of free proxy %s", p.address()).isEqualTo(global);
            }
        });

        createClusterAndAwaitSync();
        String first = chunk().proxyAddresses().get(0);
        String second = chunk().proxyAddresses().get(1);
        String free = proxies.stream().map(ProxyFixture::address).filter(a -> !a.equals(first) && !a.equals(second))
                .findFirst().orElseThrow();
        assertThat(proxy(first).mySlots()).isEqualTo("0-8191");
        assertThat(proxy(second).mySlots()).isEqualTo("8192-16383");
        assertThat(proxy(first).clusterNodes()).contains(second).contains("8192-16383");
        for (int i = 0; i < 200; i++) {
            assertThat(setFollowingMoved(first, "key" + i, "v" + i)).isEqualTo("OK");
        }

        // kill the proxy that serves 0-8191
        long killedAt = System.nanoTime();
        proxy(first).stopProxy();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(proxy(second).mySlots()).isEqualTo("0-16383"));
        long servedAgainMs = (System.nanoTime() - killedAt) / 1_000_000;
        LOG.info("all slots served by the surviving proxy {} ms after the kill (compression {})", servedAgainMs, compression);

        MetaStore store = broker.snapshot();
        assertThat(store.failedProxies()).contains(first);
        assertThat(chunk().proxyAddresses()).containsExactly(free, second);
        long epoch = cluster().epoch();
        await().atMost(WAIT).untilAsserted(() -> assertThat(proxy(free).epoch()).isEqualTo(epoch));
        // the replacement holds replicas only and sends every slot to the survivor
        assertThat(proxy(free).mySlots()).isEmpty();
        assertThat(proxy(free).clusterNodes()).contains(second + "@").contains("0-16383").doesNotContain(first);
        // every slot is writable again on the survivor, without any redirection
        int lowHalf = 0;
        for (int i = 0; i < 400; i++) {
            String key = "after" + i;
            lowHalf += SlotHash.slot(key) < 8192 ? 1 : 0;
            assertThat(proxy(second).command("SET", key, "x")).as(key).isEqualTo(new RespReply.Simple("OK"));
        }
        assertThat(lowHalf).isGreaterThan(100);
        assertThat(servedAgainMs).isLessThan(WAIT.toMillis());
    }

    @Test
    void withQuorumTwoOnlyTheSecondCoordinatorsReportFailsOver() throws Exception {
        setUp(2);
        Coordinator a = coordinator(Map.of("reporter_id", "coordinator-a"));
        // b starts without a broker: it runs but cannot report until CONFIG SET brokers
        Coordinator b = coordinator(Map.of("reporter_id", "coordinator-b", "broker_address", List.of()));
        createClusterAndAwaitSync();
        String victim = chunk().proxyAddresses().get(0);
        proxy(victim).stopProxy();

        await().atMost(WAIT).until(() -> broker.snapshot().failures().containsKey(victim));
        assertThat(broker.snapshot().failures().get(victim)).containsOnlyKeys("coordinator-a");
        // a alone is below the quorum: many detection and failover rounds later, nothing has moved
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() ->
                broker.snapshot().failedProxies().isEmpty() && chunk().proxyAddresses().contains(victim));
        assertThat(a.loops().stream().filter(l -> l.name().equals("failover")).findFirst().orElseThrow().rounds())
                .isGreaterThan(3);

        try (BlockingRespClient admin = BlockingRespClient.connect(b.adminAddress(), Duration.ofSeconds(2))) {
            assertThat(admin.command("CONFIG", "GET", "brokers")).isEqualTo(RespReply.bulk(""));
            assertThat(admin.command("CONFIG", "SET", "brokers", broker.address())).isEqualTo(new RespReply.Simple("OK"));
            assertThat(admin.command("CONFIG", "GET", "brokers")).isEqualTo(RespReply.bulk(broker.address()));
            assertThat(admin.command("CONFIG", "GET", "reporter_id")).isEqualTo(RespReply.bulk("coordinator-b"));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(broker.snapshot().failedProxies()).contains(victim);
            assertThat(chunk().proxyAddresses()).doesNotContain(victim);
        });
        String survivor = chunk().proxyAddresses().get(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(proxy(survivor).mySlots()).isEqualTo("0-16383"));
    }

    @Test
    void withFailoverDisabledAFailedProxyIsReportedButNotFailedOver() throws Exception {
        setUp(1);
        coordinator(Map.of("disable_failover", true));
        createClusterAndAwaitSync();
        String victim = chunk().proxyAddresses().get(0);
        proxy(victim).stopProxy();
        await().atMost(WAIT).until(() -> broker.snapshot().failures().containsKey(victim));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                broker.snapshot().failedProxies().isEmpty() && chunk().proxyAddresses().contains(victim));
    }

    @Test
    void scalesOutFromFourToEightNodesAndBackWithRealMigrations() throws Exception {
        setUp(1, 4);
        coordinator(Map.of());
        createClusterAndAwaitSync();
        String entry = chunk().proxyAddresses().get(0);
        for (int i = 0; i < 300; i++) {
            assertThat(setFollowingMoved(entry, "key" + i, "v" + i)).isEqualTo("OK");
        }
        http.addNodes("mycluster", 4);
        http.expand("mycluster");
        // the proxies migrate among themselves; the coordinator commits each finished task
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            BrokerHttp.Reply info = http.send("GET", "/clusters/info/mycluster", null);
            assertThat(info.body()).contains("\"is_migrating\":false").contains("\"node_number_with_slots\":8");
        });
        long epoch = cluster().epoch();
        await().atMost(WAIT).untilAsserted(() -> {
            for (ProxyFixture p : proxies) {
                assertThat(p.epoch()).as("epoch of %s", p.address()).isEqualTo(epoch);
                assertThat(slotCount(p.mySlots())).as("slots of %s", p.address()).isEqualTo(4096);
            }
        });
        for (int i = 0; i < 300; i++) {
            assertThat(getFollowingMoved(entry, "key" + i)).as("key%d", i).isEqualTo("v" + i);
        }

        // and back to 4 (flow (d)): shrink, wait for the migrations, then remove the free chunk
        http.send("POST", "/clusters/migrations/shrink/mycluster/4", null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            BrokerHttp.Reply info = http.send("GET", "/clusters/info/mycluster", null);
            assertThat(info.body()).contains("\"is_migrating\":false").contains("\"node_number_with_slots\":4");
        });
        assertThat(http.send("DELETE", "/clusters/free_nodes/mycluster", null).status()).isEqualTo(200);
        List<String> members = chunk().proxyAddresses();
        assertThat(cluster().chunks()).hasSize(1);
        long global = broker.snapshot().globalEpoch();
        await().atMost(WAIT).untilAsserted(() -> {
            for (ProxyFixture p : proxies) {
                if (members.contains(p.address())) {
                    assertThat(slotCount(p.mySlots())).as("slots of %s", p.address()).isEqualTo(8192);
                } else {
                    // freed: synced as a free proxy at the global epoch
                    assertThat(p.epoch()).as("epoch of freed %s", p.address()).isEqualTo(global);
                    assertThat(p.mySlots()).isEmpty();
                }
            }
        });
        for (int i = 0; i < 300; i++) {
            assertThat(getFollowingMoved(entry, "key" + i)).as("key%d", i).isEqualTo("v" + i);
        }
    }

    private static int slotCount(String ranges) {
        int n = 0;
        for (String r : ranges.trim().split(" ")) {
            if (r.isEmpty()) {
                continue;
            }
            String[] ab = r.split("-");
            n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
        }
        return n;
    }

    private String getFollowingMoved(String proxyAddress, String key) throws IOException {
        RespReply r = proxy(proxyAddress).command("GET", key);
        if (r instanceof RespReply.Error e && e.message().startsWith("MOVED ")) {
            try (BlockingRespClient c = BlockingRespClient.connect(e.message().split(" ")[2], Duration.ofSeconds(2))) {
                r = c.command("GET", key);
            }
        }
        return r instanceof RespReply.Bulk b ? b.text() : r.toString();
    }

    /** SET through a proxy, following one MOVED as a cluster client would. */
    private String setFollowingMoved(String proxyAddress, String key, String value) throws IOException {
        RespReply r = proxy(proxyAddress).command("SET", key, value);
        if (r instanceof RespReply.Error e && e.message().startsWith("MOVED ")) {
            String target = e.message().split(" ")[2];
            try (BlockingRespClient c = BlockingRespClient.connect(target, Duration.ofSeconds(2))) {
                r = c.command("SET", key, value);
            }
        }
        return r instanceof RespReply.Simple s ? s.text() : r.toString();
    }
}
