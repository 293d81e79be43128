package io.undermoon.broker.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.undermoon.broker.BrokerStartException;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.broker.service.ProxyEpochReader;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.ApiClient.Reply;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.process.EtcdCluster;
import io.undermoon.process.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several brokers on one real 3-member etcd cluster: they serve one store, never lose an
 * acknowledged change, never both apply conflicting changes, and refuse what is not theirs.
 */
class EtcdStoreIT {
    private static EtcdCluster etcd;
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.start(3);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static String newPrefix() {
        return "/it" + PREFIXES.incrementAndGet() + "-" + System.nanoTime();
    }

    static Map<String, Object> etcdConfig(EtcdCluster cluster, String prefix) {
        return etcdConfig(cluster, prefix, 3000);
    }

    static Map<String, Object> etcdConfig(EtcdCluster cluster, String prefix, int timeoutMillis) {
        return Map.of("storage_type", "etcd", "etcd_endpoints", cluster.endpointList(), "etcd_prefix", prefix,
                "etcd_timeout_ms", timeoutMillis, "refresh_interval", 5);
    }

    MemBroker broker(EtcdCluster cluster, String prefix) {
        return broker(etcdConfig(cluster, prefix));
    }

    MemBroker broker(Map<String, Object> config) {
        MemBroker b = Brokers.start(config);
        open.add(b);
        return b;
    }

    ApiClient api(MemBroker b) {
        ApiClient a = new ApiClient(b.address());
        open.add(a);
        return a;
    }

    static String proxy(int k) {
        return "127.0.0.1:" + (16000 + k);
    }

    static Reply addProxy(ApiClient api, int k, int host) {
        return api.addProxy(proxy(k), "127.0.0.1:" + (17000 + 2 * k), "127.0.0.1:" + (17001 + 2 * k), "host" + host);
    }

    static Reply ok(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    @Test
    void brokersOnOnePrefixServeOneStore() throws Exception {
        String prefix = newPrefix();
        MemBroker brokerA = broker(etcd, prefix);
        MemBroker brokerB = broker(etcd, prefix);
        ApiClient a = api(brokerA);
        ApiClient b = api(brokerB);
        for (int k = 0; k < 4; k++) {
            ok(addProxy(a, k, k % 2));
        }
        // planned on b's copy, which the watch brings up to date; a stale copy would be re-planned
        ok(b.post("/clusters/meta/shared", "{\"node_number\": 4}"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(a.get("/clusters/names").text()).contains("shared"));
        assertThat(a.get("/metadata").text()).isEqualTo(b.get("/metadata").text());
        // both brokers' copies reflect the same etcd revision, and say so in their metrics
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(etcdRevision(brokerA)).isEqualTo(etcdRevision(brokerB)).isGreaterThan(0));
        // and the dashboard says where the store is
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + brokerA.address() + "/ui/api/store"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            assertThat(json.get("type").asText()).isEqualTo("etcd");
            assertThat(json.get("prefix").asText()).isEqualTo(prefix);
            assertThat(json.get("endpoints")).hasSize(3);
            assertThat(json.get("revision").asLong()).isGreaterThan(0);
        }
        // a third broker started later loads the same store
        ApiClient c = api(broker(etcd, prefix));
        assertThat(c.get("/metadata").text()).isEqualTo(a.get("/metadata").text());
        // and a broker on another prefix sees none of it
        ApiClient other = api(broker(etcd, newPrefix()));
        assertThat(other.get("/clusters/names").json().get("names")).isEmpty();
    }

    static double etcdRevision(MemBroker b) throws Exception {
        var family = io.undermoon.testkit.PrometheusText.scrape(b.address()).get("undermoon_broker_etcd_revision");
        assertThat(family).as("undermoon_broker_etcd_revision exported").isNotNull();
        return ((org.hawkular.agent.prometheus.types.Gauge) family.getMetrics().get(0)).getValue();
    }

    @Test
    void concurrentChangesOnThreeBrokersLoseNothingAndTheEpochOnlyGrows() throws Exception {
        String prefix = newPrefix();
        List<ApiClient> apis = List.of(api(broker(etcd, prefix)), api(broker(etcd, prefix)), api(broker(etcd, prefix)));
        int writers = 6;
        int perWriter = 15;
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 3);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                go.await();
                ApiClient api = apis.get(writer % apis.size());
                for (int i = 0; i < perWriter; i++) {
                    int k = writer * perWriter + i;
                    Reply r = addProxy(api, k, k % 3);
                    if (r.status() == 200) {
                        acked.add(proxy(k));
                    } else if (!"RETRY".equals(r.error())) {
                        problems.add(r.toString()); // RETRY is the one allowed refusal: nothing was applied
                    }
                }
                return null;
            }));
        }
        // watchers: each broker's epoch, read over and over, never goes down
        for (ApiClient api : apis) {
            done.add(pool.submit(() -> {
                go.await();
                long last = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (System.nanoTime() < deadline) {
                    long e = api.get("/epoch").json().asLong();
                    if (e < last) {
                        problems.add("epoch went from " + last + " to " + e);
                    }
                    last = e;
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(problems).isEmpty();
        assertThat(acked).hasSizeGreaterThan(writers * perWriter / 2);
        // every acknowledged change is in the store, on every broker and on a broker started afresh
        ApiClient fresh = api(broker(etcd, prefix));
        for (ApiClient api : List.of(apis.get(0), apis.get(1), apis.get(2), fresh)) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Set<String> present = new HashSet<>();
                api.get("/proxies/addresses").json().get("addresses").forEach(n -> present.add(n.asText()));
                assertThat(present).containsAll(acked);
            });
        }
        // each registration is one epoch bump: the epoch counts exactly the acknowledged ones
        assertThat(fresh.get("/epoch").json().asLong()).isEqualTo(acked.size());
    }

    @Test
    void twoBrokersNeverBothApplyConflictingChanges() throws Exception {
        String prefix = newPrefix();
        ApiClient a = api(broker(etcd, prefix));
        ApiClient b = api(broker(etcd, prefix));
        for (int k = 0; k < 2; k++) {
            ok(addProxy(a, k, k)); // one chunk: free proxies for exactly one 4-node cluster
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(b.get("/proxies/addresses").json().get("addresses")).hasSize(2));
        for (int round = 0; round < 5; round++) {
            String name = "race" + round;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            Future<Reply> ra = pool.submit(() -> {
                go.await();
                return a.post("/clusters/meta/" + name + "a", "{\"node_number\": 4}");
            });
            Future<Reply> rb = pool.submit(() -> {
                go.await();
                return b.post("/clusters/meta/" + name + "b", "{\"node_number\": 4}");
            });
            go.countDown();
            Reply x = ra.get(30, TimeUnit.SECONDS);
            Reply y = rb.get(30, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(List.of(x.status(), y.status())).as(x + " / " + y).containsOnlyOnce(200);
            Reply loser = x.status() == 200 ? y : x;
            assertThat(loser.error()).as(loser.toString()).isIn("NO_AVAILABLE_RESOURCE", "RETRY");
            String winner = x.status() == 200 ? name + "a" : name + "b";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(b.get("/clusters/names").json().get("names")).hasSize(1));
            assertThat(a.get("/clusters/names").json().get("names").get(0).asText()).isEqualTo(winner);
            ok(a.delete("/clusters/meta/" + winner));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(b.get("/clusters/names").json().get("names")).isEmpty());
        }
    }

    @Test
    void metadataMovesFromAMemoryBrokerIntoEtcdAndAnOlderStoreIsNeverWrittenBack() {
        MemBroker memory = Brokers.start(Map.of());
        open.add(memory);
        ApiClient m = api(memory);
        for (int k = 0; k < 4; k++) {
            ok(addProxy(m, k, k % 2));
        }
        ok(m.post("/clusters/meta/moved", "{\"node_number\": 4}"));
        String exported = m.get("/metadata").text();

        String prefix = newPrefix();
        ApiClient e = api(broker(etcd, prefix));
        ok(e.put("/metadata", exported));
        assertThat(e.get("/metadata").text()).isEqualTo(exported);
        ApiClient other = api(broker(etcd, prefix));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(other.get("/metadata").text()).isEqualTo(exported));

        // the etcd store moves on; the old export is refused and nothing changes
        ok(addProxy(other, 10, 0));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(e.get("/metadata").text()).contains(proxy(10)));
        String current = e.get("/metadata").text();
        Reply refused = e.put("/metadata", exported);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("EPOCH_SMALLER_THAN_CURRENT");
        assertThat(other.get("/metadata").text()).contains(proxy(10));
        assertThat(current).isNotEqualTo(exported);
    }

    @Test
    void aPrefixHoldingDataThatIsNotOursIsRefusedAndLeftAlone() throws Exception {
        String prefix = newPrefix();
        ByteSequence key = ByteSequence.from(prefix + "/config", StandardCharsets.UTF_8);
        try (Client c = Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build()) {
            c.getKVClient().put(key, ByteSequence.from("someone else's", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            BrokerConfig config = Brokers.config(etcdConfig(etcd, prefix));
            assertThatThrownBy(() -> MemBroker.start(config, ProxyEpochReader.resp(Duration.ofSeconds(1)), Clock.systemUTC()))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("refusing etcd prefix " + prefix)
                    .hasMessageContaining("no " + prefix + "/head");
            var kvs = c.getKVClient().get(ByteSequence.from(prefix + "/", StandardCharsets.UTF_8),
                    io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build()).get(10, TimeUnit.SECONDS).getKvs();
            assertThat(kvs).hasSize(1);
            assertThat(kvs.get(0).getValue().toString(StandardCharsets.UTF_8)).isEqualTo("someone else's");
        }
    }

    @Test
    void anUnreachableEtcdAtStartIsAClearErrorNamingTheEndpoints() {
        String endpoint = "http://127.0.0.1:" + FreePorts.next();
        BrokerConfig config = Brokers.config(Map.of("storage_type", "etcd", "etcd_endpoints", endpoint,
                "etcd_timeout_ms", 1500, "etcd_connect_timeout_ms", 500));
        long start = System.nanoTime();
        assertThatThrownBy(() -> MemBroker.start(config, ProxyEpochReader.resp(Duration.ofSeconds(1)), Clock.systemUTC()))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("cannot use etcd at " + endpoint);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void oneMemberDownEverythingWorksTwoDownWritesAnswer503AndReadsServe() {
        try (EtcdCluster own = EtcdCluster.start(3)) {
            String prefix = newPrefix();
            // a write that meets the loss of etcd's leader waits for the election within etcd_timeout_ms:
            // 5 s leaves room for it on a loaded machine
            MemBroker broker = broker(etcdConfig(own, prefix, 5000));
            ApiClient api = api(broker);
            ok(addProxy(api, 0, 0));

            own.member(0).kill();
            ok(addProxy(api, 1, 1));
            ok(addProxy(api, 2, 0));
            ok(addProxy(api, 3, 1));
            ok(api.post("/clusters/meta/survivor", "{\"node_number\": 4}"));

            own.member(1).kill();
            String before = api.get("/metadata").text();
            long start = System.nanoTime();
            Reply refused = addProxy(api, 4, 0);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            // reads keep serving the last known store
            assertThat(api.get("/metadata").text()).isEqualTo(before);
            assertThat(ok(api.get("/clusters/meta/survivor")).json().get("cluster").get("name").asText()).isEqualTo("survivor");
            assertThat(ok(api.get("/proxies/meta/" + proxy(0))).status()).isEqualTo(200);

            own.member(0).restart();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ok(addProxy(api, 5, 1)));
            own.member(1).restart();
            ApiClient fresh = api(broker(own, prefix));
            Set<String> present = new HashSet<>();
            fresh.get("/proxies/addresses").json().get("addresses").forEach(n -> present.add(n.asText()));
            assertThat(present).contains(proxy(0), proxy(1), proxy(2), proxy(3), proxy(5));
        }
    }
}
