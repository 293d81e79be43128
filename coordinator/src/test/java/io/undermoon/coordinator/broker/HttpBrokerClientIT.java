package io.undermoon.coordinator.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.broker.BrokerCallException.Kind;
import io.undermoon.coordinator.testing.BrokerHttp;
import io.undermoon.coordinator.testing.ScriptedHttpServer;
import io.undermoon.coordinator.testing.ScriptedHttpServer.Answer;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplicaSyncState;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.process.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

class HttpBrokerClientIT {

    private static MemBroker startBroker() throws Exception {
        return MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0"))));
    }

    private static HttpBrokerClient client(List<String> brokers, boolean compression, Duration timeout) {
        return new HttpBrokerClient(new BrokerAddresses(brokers), timeout, compression);
    }

    /** The paths, bodies and answers of the real broker. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AgainstTheRealBroker {
        private MemBroker broker;
        private final List<String> registered = new ArrayList<>();

        @BeforeAll
        void start() throws Exception {
            broker = startBroker();
            try (BrokerHttp http = new BrokerHttp(broker.address())) {
                // 150 proxies: the listing needs two pages and an empty third
                for (int i = 0; i < 150; i++) {
                    String p = "127.0.0.1:" + (30000 + i);
                    http.addProxy(p, List.of("127.0.0.1:" + (40000 + 2 * i), "127.0.0.1:" + (40001 + 2 * i)), "host" + i);
                    registered.add(p);
                }
                http.createCluster("c1", 4);
                http.createCluster("c2", 8);
            }
        }

        @AfterAll
        void stop() {
            broker.close();
        }

        @Test
        void listsEveryPage() {
            try (HttpBrokerClient c = client(List.of(broker.address()), false, Duration.ofSeconds(3))) {
                Listing proxies = c.proxyAddresses();
                assertThat(proxies.error()).isEmpty();
                assertThat(proxies.items()).hasSize(150).containsExactlyInAnyOrderElementsOf(registered);
                Listing names = c.clusterNames();
                assertThat(names.error()).isEmpty();
                assertThat(names.items()).containsExactly("c1", "c2");
            }
        }

        @Test
        void readsClustersAndProxiesPlainAndCompressed() throws BrokerCallException {
            try (HttpBrokerClient plain = client(List.of(broker.address()), false, Duration.ofSeconds(3));
                 HttpBrokerClient gzip = client(List.of(broker.address()), true, Duration.ofSeconds(3))) {
                ClusterView c1 = plain.cluster("c1").orElseThrow();
                assertThat(c1.nodes()).hasSize(4);
                assertThat(gzip.cluster("c1")).contains(c1);
                assertThat(plain.cluster("c2").orElseThrow().nodes()).hasSize(8);
                assertThat(plain.cluster("nope")).isEmpty();
                String member = c1.nodes().get(0).proxyAddress();
                ProxyView view = plain.proxy(member).orElseThrow();
                assertThat(view.clusterName()).isEqualTo("c1");
                assertThat(view.epoch()).isEqualTo(c1.epoch());
                assertThat(gzip.proxy(member)).contains(view);
                assertThat(plain.proxy("127.0.0.9:1")).isEmpty();
            }
        }

        @Test
        void reportsFailsOverAndCommits() throws BrokerCallException {
            try (HttpBrokerClient c = client(List.of(broker.address()), false, Duration.ofSeconds(3))) {
                String member = c.cluster("c1").orElseThrow().nodes().get(0).proxyAddress();
                c.reportFailure(member, "coord-1");
                c.reportFailure(member, "coord-1"); // duplicate reports are fine
                assertThat(c.failures()).containsExactly(member);
                // ours: its master's replica has not reported a sync: refused with the broker's reason
                var nodes = c.cluster("c1").orElseThrow().nodes();
                String master = nodes.get(0).address();
                String replica = nodes.get(0).repl().peers().get(0).nodeAddress();
                assertThatThrownBy(() -> c.failover(member)).isInstanceOfSatisfying(BrokerCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.REFUSED);
                    assertThat(e.getMessage()).startsWith("failover of proxy " + member).contains("replica " + replica);
                });
                var result = c.reportReplicaSync(List.of(new ReplicaSyncState(replica, master, true),
                        new ReplicaSyncState(master, replica, true)));
                assertThat(result.changed()).containsExactly(replica);
                assertThat(result.ignored()).containsExactly(master);
                Optional<ProxyView> replacement = c.failover(member);
                assertThat(replacement).isPresent();
                assertThat(replacement.get().clusterName()).isEqualTo("c1");
                assertThat(c.failedProxies()).containsExactly(member);
                // the failed proxy is now free; failing it over again clears its report
                assertThat(c.failover(member)).isEmpty();
                assertThat(c.failures()).isEmpty();
                assertThatThrownBy(() -> c.failover("127.0.0.9:1")).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.STATUS)).hasMessageContaining("404")
                        .hasMessageContaining("PROXY_NOT_FOUND");
                // a task the broker does not know (already committed, say) answers 404: success
                MigrationMeta meta = new MigrationMeta(1, member, "n", "127.0.0.1:30001", "m");
                c.commitMigration(new MigrationTaskMeta("c1", new SlotRange(RangeList.of(Range.of(0, 10)),
                        new SlotRangeTag.Migrating(meta))));
                c.commitMigration(new MigrationTaskMeta("no-such-cluster", new SlotRange(RangeList.of(Range.of(0, 10)),
                        new SlotRangeTag.Importing(meta))));
            }
        }

        @Test
        void everyRequestGoesToTheNextBroker() throws Exception {
            try (MemBroker empty = startBroker();
                 HttpBrokerClient c = client(List.of(broker.address(), empty.address()), false, Duration.ofSeconds(3))) {
                List<Boolean> found = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    found.add(c.proxy(registered.get(0)).isPresent());
                }
                assertThat(found).containsExactly(true, false, true, false);
            }
        }

        @Test
        void aDeadOrHungBrokerAmongSeveralCostsAtMostOneCall() throws Exception {
            String dead = "127.0.0.1:" + FreePorts.next();
            try (ScriptedHttpServer hung = new ScriptedHttpServer();
                 HttpBrokerClient c = client(List.of(dead, broker.address()), false, Duration.ofSeconds(1))) {
                // a refused connection: every call, reads and changes alike, is served by the live broker
                for (int i = 0; i < 4; i++) {
                    assertThat(c.proxy(registered.get(0))).isPresent();
                }
                c.reportFailure("127.0.0.1:1", "coordinator-test"); // not validated by the broker, lists nowhere else
                assertThat(broker.snapshot().failures()).containsKey("127.0.0.1:1");

                hung.answer(r -> new Answer(200, "{\"addresses\":[]}", false, 5000, 0));
                try (HttpBrokerClient h = client(List.of(hung.address(), broker.address()), false, Duration.ofSeconds(1))) {
                    long start = System.nanoTime();
                    assertThat(h.proxy(registered.get(0))).isPresent(); // timed out on the hung one, then answered
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(3000));
                    start = System.nanoTime();
                    for (int i = 0; i < 6; i++) {
                        assertThat(h.proxy(registered.get(0))).isPresent();
                    }
                    // the hung broker is skipped now: six calls in far less than one timeout
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
                    assertThat(hung.received()).hasSize(1);
                    // a change that reached the hung broker is not re-sent elsewhere (it may have been applied)
                }
            }
        }
    }

    @Test
    void noBrokerIsAClearErrorForEveryCall() {
        try (HttpBrokerClient c = client(List.of(), false, Duration.ofSeconds(1))) {
            assertThat(c.clusterNames().error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(Kind.NO_BROKER));
            assertThat(c.proxyAddresses().items()).isEmpty();
            assertThatThrownBy(() -> c.proxy("a:1")).isInstanceOfSatisfying(BrokerCallException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.NO_BROKER));
            assertThatThrownBy(() -> c.failover("a:1")).hasMessageContaining("no broker");
            assertThatThrownBy(() -> c.reportFailure("a:1", "r")).hasMessageContaining("no broker");
        }
    }

    @Test
    void anUnreachableBrokerIsAnIoError() {
        String nobody = "127.0.0.1:" + FreePorts.next();
        try (HttpBrokerClient c = client(List.of(nobody), false, Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> c.failures()).isInstanceOfSatisfying(BrokerCallException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.IO)).hasMessageContaining(nobody);
        }
    }

    /** Answers a healthy broker never gives. */
    @Nested
    class AgainstAScriptedServer {
        private final ScriptedHttpServer server;

        AgainstAScriptedServer() throws Exception {
            server = new ScriptedHttpServer();
        }

        @AfterEach
        void close() {
            server.close();
        }

        private HttpBrokerClient client(boolean compression) {
            return HttpBrokerClientIT.client(List.of(server.address()), compression, Duration.ofMillis(500));
        }

        @Test
        void exactPathsHeadersAndBodies() throws BrokerCallException {
            server.answer(r -> switch (r.method()) {
                case "GET" -> Answer.json(200, r.pathAndQuery().startsWith("/api/v3/proxies/meta/")
                        ? "{\"proxy\":null}" : "{\"addresses\":[]}");
                default -> Answer.json(200, "");
            });
            try (HttpBrokerClient c = client(true)) {
                c.reportFailure("127.0.0.1:6001", "coord-1");
                c.proxy("127.0.0.1:6001");
                c.failures();
                c.failedProxies();
                MigrationMeta meta = new MigrationMeta(7799, "127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:6001", "127.0.0.1:7001");
                c.commitMigration(new MigrationTaskMeta("mycluster", new SlotRange(RangeList.of(Range.of(233, 666)),
                        new SlotRangeTag.Migrating(meta))));
            }
            List<ScriptedHttpServer.Received> got = server.received();
            assertThat(got).extracting(r -> r.method() + " " + r.pathAndQuery()).containsExactly(
                    "POST /api/v3/failures/127.0.0.1:6001/coord-1",
                    "GET /api/v3/proxies/meta/127.0.0.1:6001",
                    "GET /api/v3/failures",
                    "GET /api/v3/proxies/failed/addresses",
                    "PUT /api/v3/clusters/migrations");
            assertThat(got).extracting(ScriptedHttpServer.Received::acceptEncoding).containsOnly("gzip");
            assertThat(got.get(4).contentType()).isEqualTo("application/json");
            assertThat(got.get(4).body()).isEqualTo("{\"cluster_name\":\"mycluster\",\"slot_range\":{\"range_list\":[[233,666]],"
                    + "\"tag\":{\"Migrating\":{\"epoch\":7799,\"src_proxy_address\":\"127.0.0.1:6000\",\"src_node_address\":"
                    + "\"127.0.0.1:7000\",\"dst_proxy_address\":\"127.0.0.1:6001\",\"dst_node_address\":\"127.0.0.1:7001\"}}}}");
        }

        @Test
        void pagesUntilAnEmptyPageAndKeepsWhatItGotOnAnError() {
            server.answer(r -> switch (r.pathAndQuery()) {
                case "/api/v3/clusters/names?offset=0&limit=100" -> Answer.json(200, "{\"names\":[\"a\",\"b\"]}");
                case "/api/v3/clusters/names?offset=100&limit=100" -> Answer.json(200, "{\"names\":[\"c\"]}");
                case "/api/v3/clusters/names?offset=200&limit=100" -> Answer.json(200, "{\"names\":[]}");
                case "/api/v3/proxies/addresses?offset=0&limit=100" -> Answer.json(200, "{\"addresses\":[\"p:1\"]}");
                default -> Answer.json(500, "{\"error\":\"EXTERNAL\"}");
            });
            try (HttpBrokerClient c = client(false)) {
                assertThat(c.clusterNames()).isEqualTo(Listing.complete(List.of("a", "b", "c")));
                Listing proxies = c.proxyAddresses();
                assertThat(proxies.items()).containsExactly("p:1");
                assertThat(proxies.error()).hasValueSatisfying(e -> assertThat(e.getMessage()).contains("500")
                        .contains("EXTERNAL").contains("offset=100"));
            }
            assertThat(server.received()).extracting(ScriptedHttpServer.Received::acceptEncoding).containsOnly("identity");
        }

        @Test
        void gzipIsDecodedEvenWhenNotAskedFor() throws BrokerCallException {
            server.answer(r -> Answer.json(200, "{\"addresses\":[\"p:1\",\"p:2\"]}").gzipped());
            try (HttpBrokerClient c = client(false)) {
                assertThat(c.failures()).containsExactly("p:1", "p:2");
            }
        }

        @Test
        void statusRules() throws BrokerCallException {
            try (HttpBrokerClient c = client(false)) {
                server.answer(r -> Answer.json(409, "{\"error\":\"NO_AVAILABLE_RESOURCE\"}"));
                assertThatThrownBy(() -> c.failover("p:1")).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.RETRY)).hasMessageContaining("NO_AVAILABLE_RESOURCE");
                assertThatThrownBy(() -> c.commitMigration(task())).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.RETRY));
                server.answer(r -> Answer.json(404, "{\"error\":\"MIGRATION_TASK_NOT_FOUND\"}"));
                c.commitMigration(task()); // 404 is success
                assertThatThrownBy(() -> c.reportFailure("p:1", "r")).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.STATUS));
                server.answer(r -> Answer.json(500, "{\"error\":\"PERSISTENCE_IO_ERROR\"}"));
                assertThatThrownBy(() -> c.commitMigration(task())).hasMessageContaining("500");
                assertThatThrownBy(() -> c.cluster("x")).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.STATUS));
                server.answer(r -> Answer.json(200, "{\"proxy\":null}"));
                assertThat(c.failover("p:1")).isEmpty();
            }
        }

        @Test
        void malformedBodiesAreInvalidReplies() {
            try (HttpBrokerClient c = client(false)) {
                for (String bad : List.of("", "null", "{", "{\"addresses\":\"p:1\"}", "[1,2]", "{\"addresses\":null}")) {
                    server.answer(r -> Answer.json(200, bad));
                    assertThatThrownBy(() -> c.failures()).as(bad).isInstanceOfSatisfying(BrokerCallException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REPLY));
                }
                server.answer(r -> Answer.json(200, "{\"proxy\":{\"address\":1}}"));
                assertThatThrownBy(() -> c.proxy("p:1")).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REPLY));
            }
        }

        @Test
        void aStalledAnswerTimesOut() {
            try (HttpBrokerClient c = client(false)) {
                server.answer(r -> new Answer(200, "{\"addresses\":[]}", false, 3000, 0));
                long start = System.nanoTime();
                assertThatThrownBy(() -> c.failures()).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.IO)).hasMessageContaining("timed out");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
                // headers at once, then the body stalls: the bound covers the body too
                server.answer(r -> new Answer(200, "{\"addresses\":[]}", false, 0, 3000));
                start = System.nanoTime();
                assertThatThrownBy(() -> c.failures()).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.IO));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
            }
        }

        @Test
        void anAddressThatDoesNotFitInAUrlIsAnInvalidRequest() {
            try (HttpBrokerClient c = client(false)) {
                assertThatThrownBy(() -> c.proxy("bad address")).isInstanceOfSatisfying(BrokerCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST));
            }
            assertThat(server.received()).isEmpty();
        }

        private MigrationTaskMeta task() {
            MigrationMeta meta = new MigrationMeta(1, "a:1", "b:1", "c:1", "d:1");
            return new MigrationTaskMeta("c", new SlotRange(RangeList.of(Range.of(0, 1)), new SlotRangeTag.Migrating(meta)));
        }
    }
}
