package io.undermoon.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.ApiClient.Reply;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.broker.testing.FakeProxyServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The auto-scale API and epoch recovery, which make the broker talk RESP ({@code UMCTL GETEPOCH}) to
 * the proxies; scripted fake proxies answer here.
 */
class AutoScaleIT {
    private final AtomicReference<MemBroker> brokerRef = new AtomicReference<>();
    /** -1: answer the broker's global epoch (proxies in sync); otherwise this fixed epoch. */
    private final AtomicLong fixedEpoch = new AtomicLong(-1);
    private final List<FakeProxyServer> proxies = new ArrayList<>();
    private MemBroker broker;
    private ApiClient api;

    @BeforeEach
    void start() throws IOException {
        broker = Brokers.start(Map.of("migration_limit", 2, "auto_scale_poll_interval_ms", 50, "auto_scale_timeout", 2,
                "auto_scale_max_failed_attempts", 3, "proxy_epoch_timeout_ms", 500));
        brokerRef.set(broker);
        api = new ApiClient(broker.address());
        for (int i = 0; i < 8; i++) {
            FakeProxyServer p = new FakeProxyServer(() -> fixedEpoch.get() >= 0 ? fixedEpoch.get()
                    : brokerRef.get().snapshot().globalEpoch());
            proxies.add(p);
            Reply r = api.addProxy(p.address(), "127.0.0.1:" + (30000 + 2 * i), "127.0.0.1:" + (30001 + 2 * i), "host" + (i % 4));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
    }

    @AfterEach
    void stop() throws IOException {
        api.close();
        broker.close();
        for (FakeProxyServer p : proxies) {
            p.close();
        }
    }

    private JsonNode info(String name) {
        Reply r = api.get("/clusters/info/" + name);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void scaleOutWaitsForTheProxiesThenPlansTheExpand() {
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 4}").status()).isEqualTo(200);
        Reply r = api.post("/clusters/migrations/auto/c/8");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode info = info("c");
        assertThat(info.get("node_number").asInt()).isEqualTo(8);
        assertThat(info.get("is_migrating").asBoolean()).isTrue();
        assertThat(proxies.stream().mapToInt(FakeProxyServer::getEpochCalls).sum()).isGreaterThanOrEqualTo(4);

        Reply again = api.post("/clusters/migrations/auto/c/8");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("MIGRATION_RUNNING");
        Reply unknown = api.post("/clusters/migrations/auto/nope/8");
        assertThat(unknown.error()).isEqualTo("CLUSTER_NOT_FOUND");
        assertThat(api.post("/clusters/migrations/auto/bad.name/8").error()).isEqualTo("INVALID_CLUSTER_NAME");
    }

    @Test
    void noOpAndScaleDownReturnAtOnce() {
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 8}").status()).isEqualTo(200);
        long e = api.get("/epoch").json().asLong();
        assertThat(api.post("/clusters/migrations/auto/c/8").status()).isEqualTo(200);
        assertThat(api.get("/epoch").json().asLong()).as("a no-op changes nothing").isEqualTo(e);
        assertThat(api.post("/clusters/migrations/auto/c/6").error()).isEqualTo("INVALID_NODE_NUMBER");
        assertThat(api.post("/clusters/migrations/auto/c/0").error()).isEqualTo("INVALID_NODE_NUMBER");
        assertThat(api.post("/clusters/migrations/auto/c/32").error()).isEqualTo("NO_AVAILABLE_RESOURCE");
        assertThat(api.post("/clusters/migrations/auto/c/4").status()).isEqualTo(200);
        assertThat(info("c").get("is_migrating").asBoolean()).isTrue();
        assertThat(proxies.stream().mapToInt(FakeProxyServer::getEpochCalls).sum()).isZero();
    }

    @Test
    void laggingProxiesEndTheWaitWithProxyNotSyncAndHoldTheScaleLockMeanwhile() throws Exception {
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 4}").status()).isEqualTo(200);
        fixedEpoch.set(1); // the proxies never learn the new epoch
        long start = System.nanoTime();
        CompletableFuture<Reply> scaling = CompletableFuture.supplyAsync(() -> api.post("/clusters/migrations/auto/c/8"));
        Thread.sleep(300);
        for (Reply r : List.of(api.post("/clusters/migrations/expand/c"), api.post("/clusters/migrations/shrink/c/4"),
                api.patch("/clusters/nodes/c", "{\"node_number\": 4}"), api.put("/clusters/nodes/c", "{\"cluster_node_number\": 12}"),
                api.delete("/clusters/free_nodes/c"), api.post("/clusters/migrations/auto/c/8"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.error()).isEqualTo("NODE_NUMBER_CHANGING");
        }
        // other calls are not blocked
        assertThat(api.get("/clusters/meta/c").status()).isEqualTo(200);
        assertThat(api.put("/clusters/balance/c").status()).isEqualTo(200);
        Reply r = scaling.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(500);
        assertThat(r.error()).isEqualTo("PROXY_NOT_SYNC");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        // the nodes were added (as in the reference), no migration was planned; a retry after sync completes it
        assertThat(info("c").get("node_number").asInt()).isEqualTo(8);
        assertThat(info("c").get("is_migrating").asBoolean()).isFalse();
        fixedEpoch.set(-1);
        assertThat(api.post("/clusters/migrations/auto/c/8").status()).isEqualTo(200);
        assertThat(info("c").get("node_number").asInt()).as("the free chunk was re-added").isEqualTo(8);
    }

    @Test
    void unreachableProxiesFailAfterTheAttemptLimit() throws IOException {
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 4}").status()).isEqualTo(200);
        for (FakeProxyServer p : proxies) {
            p.close();
        }
        long start = System.nanoTime();
        Reply r = api.post("/clusters/migrations/auto/c/8");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.error()).isEqualTo("PROXY_NOT_SYNC");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void epochRecoveryMovesPastTheLargestProxyEpoch() {
        assertThat(api.post("/clusters/meta/c", "{\"node_number\": 4}").status()).isEqualTo(200);
        fixedEpoch.set(500);
        Reply r = api.put("/epoch/recovery");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"failed_addresses\":[]}");
        assertThat(api.get("/epoch").json().asLong()).isEqualTo(502);
        assertThat(api.get("/clusters/meta/c").json().get("cluster").get("epoch").asLong()).isEqualTo(502);
        fixedEpoch.set(3);
        api.put("/epoch/recovery");
        assertThat(api.get("/epoch").json().asLong()).as("global + 1 when the proxies are behind").isEqualTo(503);
    }
}
