package io.undermoon.broker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.ApiClient.Reply;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.broker.testing.TestStorageServer;
import io.undermoon.model.Json;
import io.undermoon.model.broker.MetaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code storage_type = http} against a storage service of our own. */
class ExternalStorageIT {
    private TestStorageServer storage;
    private Brokers.MutableClock clock;
    private MemBroker broker;
    private ApiClient api;

    @BeforeEach
    void start() throws Exception {
        storage = new TestStorageServer("undermoon", "secret");
        clock = new Brokers.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        broker = startBroker("secret");
        api = new ApiClient(broker.address());
        await().atMost(Duration.ofSeconds(5)).until(() -> storage.store() != null);
    }

    private MemBroker startBroker(String password) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("storage_type", "HTTP");
        cfg.put("http_storage_address", storage.address());
        cfg.put("storage_name", "undermoon");
        cfg.put("storage_password", password);
        cfg.put("refresh_interval", 1);
        cfg.put("http_storage_timeout_ms", 500);
        cfg.put("failure_ttl", 60);
        var c = Brokers.config(cfg);
        return Brokers.start(c, ProxyEpochReader.resp(c.proxyEpochTimeout()), clock);
    }

    @AfterEach
    void stop() {
        api.close();
        broker.close();
        storage.close();
    }

    private MetaStore remote() throws Exception {
        return Json.mapper().treeToValue(storage.store(), MetaStore.class);
    }

    @Test
    void mutationsAreWrittenToTheServiceWithItsVersion() throws Exception {
        assertThat(remote()).isEqualTo(MetaStore.empty(false));
        assertThat(api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a").status()).isEqualTo(200);
        assertThat(api.addProxy("127.0.0.1:6001", "127.0.0.1:7002", "127.0.0.1:7003", "b").status()).isEqualTo(200);
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 4}").status()).isEqualTo(200);
        assertThat(remote().clusters()).containsKey("c");
        assertThat(remote().globalEpoch()).isEqualTo(3);
        assertThat(storage.version()).isEqualTo(4);
        assertThat(api.get("/metadata").text()).isEqualTo(Json.mapper().writeValueAsString(remote()));

        // unchanged results are not written: a re-registration without effect, a duplicate report
        int puts = storage.puts.get();
        assertThat(api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a").error()).isEqualTo("ALREADY_EXISTED");
        assertThat(api.post("/failures/127.0.0.1:6000/r1").status()).isEqualTo(200);
        assertThat(api.post("/failures/127.0.0.1:6000/r1").status()).isEqualTo(200);
        assertThat(storage.puts.get()).isEqualTo(puts + 1);
        // a failed operation writes nothing
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 4}").error()).isEqualTo("ALREADY_EXISTED");
        assertThat(storage.puts.get()).isEqualTo(puts + 1);
        // a refused failover (its replica has not synced) writes nothing
        assertThat(api.post("/proxies/failover/127.0.0.1:6000").error()).isEqualTo("REPLICA_NOT_SYNCED");
        assertThat(storage.puts.get()).isEqualTo(puts + 1);
        // a failover without a free proxy writes its takeover back, then answers the error
        Reply f = api.post("/proxies/failover_losing_data/127.0.0.1:6000");
        assertThat(f.error()).isEqualTo("NO_AVAILABLE_RESOURCE");
        assertThat(storage.puts.get()).isEqualTo(puts + 2);
        assertThat(remote().failedProxies()).containsExactly("127.0.0.1:6000");
    }

    @Test
    void conflictsTimeoutsAndBadAnswersAreErrors() throws Exception {
        storage.conflictNextPut.set(true);
        Reply conflict = api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.error()).isEqualTo("RETRY");
        assertThat(remote().allProxies()).isEmpty();
        assertThat(api.get("/proxies/addresses").json().get("addresses")).isEmpty();

        storage.answerNullVersion.set(true);
        Reply nullVersion = api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a");
        assertThat(nullVersion.status()).isEqualTo(500);
        assertThat(nullVersion.error()).isEqualTo("EMPTY_EXTERNAL_VERSION");
        storage.answerNullVersion.set(false);

        storage.delayMillis.set(1500);
        Reply slow = api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a");
        assertThat(slow.status()).isEqualTo(504);
        assertThat(slow.error()).isEqualTo("EXTERNAL_TIMEOUT");
        storage.delayMillis.set(0);

        storage.failEverything.set(true);
        Reply down = api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a");
        assertThat(down.status()).isEqualTo(500);
        assertThat(down.error()).isEqualTo("EXTERNAL");
        storage.failEverything.set(false);

        assertThat(api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a").status()).isEqualTo(200);
        assertThat(remote().allProxies()).containsOnlyKeys("127.0.0.1:6000");
    }

    @Test
    void wrongCredentialsAreExternalErrors() {
        try (MemBroker other = startBroker("wrong"); ApiClient a = new ApiClient(other.address())) {
            Reply r = a.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.error()).isEqualTo("EXTERNAL");
        }
    }

    @Test
    void theCacheFollowsTheServiceAndExpiredReportsArePurged() throws Exception {
        assertThat(api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a").status()).isEqualTo(200);
        assertThat(api.post("/failures/127.0.0.1:6000/r1").status()).isEqualTo(200);
        assertThat(api.get("/failures").json().get("addresses")).hasSize(1);
        // another broker writes: the refresh picks it up
        ObjectNode changed = (ObjectNode) storage.store().deepCopy();
        changed.put("global_epoch", 77);
        storage.overwrite(changed);
        await().atMost(Duration.ofSeconds(5)).until(() -> api.get("/epoch").json().asLong() == 77);
        // reports expire: reads filter them at once, the refresh purges them from the service
        clock.advance(Duration.ofSeconds(61));
        assertThat(api.get("/failures").json().get("addresses")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> remote().failures().isEmpty());
        assertThat(remote().globalEpoch()).isEqualTo(77);
    }

    @Test
    void putMetadataOnlyReplacesTheCacheWithANewerStore() throws Exception {
        MetaStore newer = new MetaStore(MetaStore.VERSION, 50, new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                new java.util.TreeSet<>(), new java.util.TreeMap<>(), false);
        int puts = storage.puts.get();
        assertThat(api.put("/metadata", Json.mapper().writeValueAsString(newer)).status()).isEqualTo(200);
        assertThat(api.get("/epoch").json().asLong()).isEqualTo(50);
        assertThat(storage.puts.get()).as("never written to the service").isEqualTo(puts);
        MetaStore older = new MetaStore(MetaStore.VERSION, 10, new java.util.TreeMap<>(), new java.util.TreeMap<>(),
                new java.util.TreeSet<>(), new java.util.TreeMap<>(), false);
        assertThat(api.put("/metadata", Json.mapper().writeValueAsString(older)).status()).isEqualTo(200);
        assertThat(api.get("/epoch").json().asLong()).isEqualTo(50);
    }

    @Test
    void concurrentMutationsOfOneBrokerGetRetry() throws Exception {
        storage.delayMillis.set(300);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a"));
        Thread.sleep(100);
        Reply second = api.addProxy("127.0.0.1:6001", "127.0.0.1:7002", "127.0.0.1:7003", "b");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.error()).isEqualTo("RETRY");
        assertThat(first.get().status()).isEqualTo(200);
        storage.delayMillis.set(0);
    }
}
