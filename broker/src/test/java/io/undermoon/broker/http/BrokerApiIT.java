package io.undermoon.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.ApiClient.Reply;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.model.Json;
import io.undermoon.model.broker.ClusterResponse;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint and error code of the HTTP API against a real broker on a random port. */
class BrokerApiIT {
    private MemBroker broker;
    private ApiClient api;

    @BeforeEach
    void start() {
        broker = Brokers.start(Map.of("migration_limit", 1, "failure_quorum", 1));
        api = new ApiClient(broker.address());
    }

    @AfterEach
    void stop() {
        api.close();
        broker.close();
    }

    static String proxy(int k) {
        return "127.0.0.1:" + (6000 + k);
    }

    /** {@code hosts x perHost} proxies; proxy k is on host "host(k / perHost)". */
    void register(int hosts, int perHost) {
        for (int h = 0; h < hosts; h++) {
            for (int i = 0; i < perHost; i++) {
                int k = h * perHost + i;
                Reply r = api.addProxy(proxy(k), "127.0.0.1:" + (7000 + 2 * k), "127.0.0.1:" + (7001 + 2 * k), "host" + h);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.raw()).isEmpty();
            }
        }
    }

    Reply ok(Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** The call fails with this status and code, and the store is byte-for-byte the same afterwards. */
    void assertRejected(Supplier<Reply> call, int status, String code) {
        String before = api.get("/metadata").text();
        Reply r = call.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.error()).as(r.toString()).isEqualTo(code);
        assertThat(api.get("/metadata").text()).as("store unchanged after " + code).isEqualTo(before);
    }

    long epoch() {
        return api.get("/epoch").json().asLong();
    }

    @Test
    void versionAndUnknownRoutes() {
        Reply v = ok(api.get("/version"));
        assertThat(v.text()).isEqualTo("0.6.2");
        assertThat(v.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertRejected(() -> api.get("/nope"), 404, "NOT_FOUND");
        assertRejected(() -> api.post("/version"), 404, "NOT_FOUND");
        assertRejected(() -> api.delete("/clusters/names"), 404, "NOT_FOUND");
        assertRejected(() -> api.put("/epoch/abc"), 404, "NOT_FOUND");
        assertRejected(() -> api.put("/epoch/-5"), 404, "NOT_FOUND");
        assertRejected(() -> api.post("/clusters/migrations/shrink/c/x"), 404, "NOT_FOUND");
        assertRejected(() -> api.post("/clusters/migrations/auto/c/99999999999999999999"), 404, "NOT_FOUND");
    }

    @Test
    void registerProxiesAndTheirErrors() {
        register(2, 1);
        assertThat(epoch()).isEqualTo(2);
        assertRejected(() -> api.addProxy(proxy(0), "127.0.0.1:7000", "127.0.0.1:7001", "host0"), 409, "ALREADY_EXISTED");
        assertRejected(() -> api.addProxy("127.0.0.1", "a:1", "a:2", null), 400, "INVALID_PROXY_ADDRESS");
        assertRejected(() -> api.addProxy("a:b:6000", "a:1", "a:2", null), 400, "INVALID_PROXY_ADDRESS");
        assertRejected(() -> api.addProxy("a:port", "a:1", "a:2", null), 400, "INVALID_PROXY_ADDRESS");
        assertRejected(() -> api.addProxy("a:6000", "a:1", "a:1", null), 400, "INVALID_NODE_ADDRESS");
        assertRejected(() -> api.addProxy("a:6000", "a", "a:1", null), 400, "INVALID_NODE_ADDRESS");
        // malformed JSON, wrong types, wrong arity, missing fields, extra tokens
        for (String bad : List.of("{", "[]", "null", "{\"proxy_address\": 1, \"nodes\": [\"a:1\", \"a:2\"]}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\"]}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", \"a:2\", \"a:3\"]}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", 2]}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": \"a:1,a:2\"}",
                "{\"proxy_address\": \"a:6000\"}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", \"a:2\"], \"index\": -1}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", \"a:2\"], \"index\": \"1\"}",
                "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", \"a:2\"]} {}")) {
            assertRejected(() -> api.post("/proxies/meta", bad), 400, "INVALID_REQUEST");
        }
        assertRejected(() -> api.send("POST", "/proxies/meta", "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", \"a:2\"]}",
                "application/x-www-form-urlencoded"), 415, "UNSUPPORTED_MEDIA_TYPE");
        // a missing content type is accepted
        ok(api.send("POST", "/proxies/meta", "{\"proxy_address\": \"a:6000\", \"nodes\": [\"a:1\", \"a:2\"]}", null));
        assertThat(ok(api.get("/proxies/addresses")).json().get("addresses")).hasSize(3);
    }

    @Test
    void oversizedBodiesAreRejected() {
        byte[] big = new byte[17 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        assertRejected(() -> api.sendBytes("PUT", "/metadata", big, "application/json"), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void createReadAndDeleteACluster() throws Exception {
        register(2, 2);
        ok(api.post("/clusters/meta/mycluster", "{\"node_number\": 4}"));
        assertThat(epoch()).isEqualTo(5);
        assertRejected(() -> api.post("/clusters/meta/mycluster", "{\"node_number\": 4}"), 409, "ALREADY_EXISTED");
        assertRejected(() -> api.post("/clusters/meta/bad.name", "{\"node_number\": 4}"), 400, "INVALID_CLUSTER_NAME");
        assertRejected(() -> api.post("/clusters/meta/" + "x".repeat(32), "{\"node_number\": 4}"), 400, "INVALID_CLUSTER_NAME");
        assertRejected(() -> api.post("/clusters/meta/other", "{\"node_number\": 6}"), 400, "INVALID_NODE_NUMBER");
        assertRejected(() -> api.post("/clusters/meta/other", "{\"node_number\": 0}"), 400, "INVALID_NODE_NUMBER");
        assertRejected(() -> api.post("/clusters/meta/other", "{\"node_number\": 8}"), 409, "NO_AVAILABLE_RESOURCE");
        assertRejected(() -> api.post("/clusters/meta/other", "{\"node_number\": \"4\"}"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.post("/clusters/meta/other", "{\"node_number\": 4.5}"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.post("/clusters/meta/other", "{\"node_number\": -4}"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.post("/clusters/meta/other", ""), 400, "INVALID_REQUEST");

        JsonNode cluster = ok(api.get("/clusters/meta/mycluster")).json().get("cluster");
        assertThat(cluster.get("name").asText()).isEqualTo("mycluster");
        assertThat(cluster.get("epoch").asLong()).isEqualTo(5);
        assertThat(cluster.get("nodes")).hasSize(4);
        assertThat(Json.mapper().treeToValue(ok(api.get("/clusters/meta/mycluster")).json(), ClusterResponse.class).cluster())
                .isEqualTo(broker.service().clusterMeta("mycluster"));
        assertThat(ok(api.get("/clusters/meta/nope")).text()).isEqualTo("{\"cluster\":null}");
        assertThat(ok(api.get("/clusters/meta/bad.name")).text()).isEqualTo("{\"cluster\":null}");
        assertThat(ok(api.get("/clusters/names")).json().get("names").toString()).isEqualTo("[\"mycluster\"]");
        // ours: a new cluster's replicas have not synced yet: the single-copy window shows
        String info = ok(api.get("/clusters/info/mycluster")).text();
        assertThat(info).startsWith("{\"name\":\"mycluster\",\"node_number\":4,\"node_number_with_slots\":4,\"is_migrating\":false,"
                + "\"replicas_not_synced\":[{\"master\":");
        assertThat(Json.mapper().readTree(info).get("replicas_not_synced")).hasSize(2);
        assertRejected(() -> api.get("/clusters/info/nope"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.get("/clusters/info/bad.name"), 404, "CLUSTER_NOT_FOUND");

        String p = cluster.get("nodes").get(0).get("proxy_address").asText();
        JsonNode pv = ok(api.get("/proxies/meta/" + p)).json().get("proxy");
        assertThat(pv.get("cluster_name").asText()).isEqualTo("mycluster");
        assertThat(pv.get("epoch").asLong()).isEqualTo(5);
        assertThat(pv.get("nodes")).hasSize(2);
        assertThat(pv.get("peers")).hasSize(1);
        assertThat(Json.mapper().treeToValue(ok(api.get("/proxies/meta/" + p)).json(), ProxyResponse.class).proxy())
                .isEqualTo(broker.service().proxyMeta(p));
        assertThat(ok(api.get("/proxies/meta/10.1.1.1:1")).text()).isEqualTo("{\"proxy\":null}");

        assertRejected(() -> api.delete("/proxies/meta/" + p), 409, "IN_USE");
        assertRejected(() -> api.delete("/proxies/meta/10.1.1.1:1"), 404, "PROXY_NOT_FOUND");
        assertRejected(() -> api.delete("/clusters/meta/nope"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.delete("/clusters/meta/bad.name"), 400, "INVALID_CLUSTER_NAME");
        ok(api.delete("/clusters/meta/mycluster"));
        assertThat(epoch()).isEqualTo(6);
        JsonNode free = ok(api.get("/proxies/meta/" + p)).json().get("proxy");
        assertThat(free.get("cluster_name").isNull()).isTrue();
        assertThat(free.get("epoch").asLong()).isEqualTo(6);
        assertThat(free.get("cluster_config").isNull()).isTrue();
        ok(api.delete("/proxies/meta/" + p));
        assertThat(ok(api.get("/proxies/addresses")).json().get("addresses")).hasSize(3);
    }

    @Test
    void paginationIsSortedAndChecked() {
        register(2, 3);
        for (String name : List.of("c", "a", "b")) {
            ok(api.post("/clusters/meta/" + name, "{\"node_number\": 4}"));
        }
        assertThat(ok(api.get("/clusters/names")).json().get("names").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(ok(api.get("/clusters/names?offset=1&limit=1")).json().get("names").toString()).isEqualTo("[\"b\"]");
        assertThat(ok(api.get("/clusters/names?offset=5")).json().get("names")).isEmpty();
        assertThat(ok(api.get("/proxies/addresses?offset=4&limit=100")).json().get("addresses").toString())
                .isEqualTo("[\"" + proxy(4) + "\",\"" + proxy(5) + "\"]");
        assertRejected(() -> api.get("/clusters/names?offset=-1"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.get("/clusters/names?limit=x"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.get("/proxies/addresses?limit=1.5"), 400, "INVALID_REQUEST");
    }

    @Test
    void gzipOnlyWhenAsked() {
        register(2, 1);
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        for (String path : List.of("/metadata", "/clusters/meta/c", "/proxies/meta/" + proxy(0), "/clusters/names")) {
            Reply plain = ok(api.get(path));
            assertThat(plain.gzipped()).isFalse();
            Reply gz = ok(api.get(path, "gzip, deflate"));
            assertThat(gz.gzipped()).as(path).isTrue();
            assertThat(gz.text()).isEqualTo(plain.text());
            assertThat(ok(api.get(path, "gzip;q=0, identity")).gzipped()).isFalse();
            assertThat(ok(api.get(path, "identity")).gzipped()).isFalse();
        }
    }

    @Test
    void scalingOutAndInThroughTheApi() {
        register(4, 2);
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        assertRejected(() -> api.post("/clusters/migrations/expand/c"), 400, "SLOTS_ALREADY_EVEN");
        assertRejected(() -> api.post("/clusters/migrations/expand/nope"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.post("/clusters/migrations/expand/bad.name"), 400, "INVALID_CLUSTER_NAME");
        assertRejected(() -> api.patch("/clusters/nodes/c", "{\"node_number\": 3}"), 400, "INVALID_NODE_NUMBER");
        assertRejected(() -> api.patch("/clusters/nodes/nope", "{\"node_number\": 4}"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.patch("/clusters/nodes/bad.name", "{\"node_number\": 4}"), 400, "INVALID_CLUSTER_NAME");
        assertRejected(() -> api.patch("/clusters/nodes/c", "{\"node_number\": 16}"), 409, "NO_AVAILABLE_RESOURCE");
        assertRejected(() -> api.put("/clusters/nodes/c", "{\"cluster_node_number\": 4}"), 409, "NODE_NUM_ALREADY_ENOUGH");
        assertRejected(() -> api.put("/clusters/nodes/c", "{\"node_number\": 8}"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.delete("/clusters/free_nodes/c"), 404, "FREE_NODE_NOT_FOUND");

        JsonNode added = ok(api.patch("/clusters/nodes/c", "{\"node_number\": 4}")).json();
        assertThat(added).hasSize(4);
        for (JsonNode n : added) {
            assertThat(n.get("slots")).isEmpty();
        }
        assertThat(ok(api.get("/clusters/info/c")).json().get("node_number_with_slots").asInt()).isEqualTo(4);
        long before = ok(api.get("/clusters/meta/c")).json().get("cluster").get("epoch").asLong();
        ok(api.post("/clusters/migrations/expand/c"));
        JsonNode info = ok(api.get("/clusters/info/c")).json();
        assertThat(info.get("is_migrating").asBoolean()).isTrue();
        assertThat(info.get("node_number_with_slots").asInt()).as("importing parts own no stable slots yet").isEqualTo(4);
        assertRejected(() -> api.post("/clusters/migrations/expand/c"), 409, "MIGRATION_RUNNING");
        assertRejected(() -> api.patch("/clusters/nodes/c", "{\"node_number\": 4}"), 409, "MIGRATION_RUNNING");
        assertRejected(() -> api.delete("/clusters/free_nodes/c"), 409, "MIGRATION_RUNNING");
        assertRejected(() -> api.patch("/clusters/config/c", "{\"compression_strategy\": \"allow_all\"}"), 409, "MIGRATION_RUNNING");
        assertRejected(() -> api.post("/clusters/migrations/shrink/c/4"), 409, "FREE_NODE_FOUND");

        // commit what the proxies see, one task at a time, as a coordinator would
        for (int round = 0; round < 10 && ok(api.get("/clusters/info/c")).json().get("is_migrating").asBoolean(); round++) {
            JsonNode nodes = ok(api.get("/clusters/meta/c")).json().get("cluster").get("nodes");
            for (JsonNode n : nodes) {
                for (JsonNode s : n.get("slots")) {
                    if (s.get("tag").isObject() && s.get("tag").has("Migrating")) {
                        String task = "{\"cluster_name\": \"c\", \"slot_range\": " + s + "}";
                        ok(api.put("/clusters/migrations", task));
                        assertRejected(() -> api.put("/clusters/migrations", task), 404, "MIGRATION_TASK_NOT_FOUND");
                    }
                }
            }
        }
        JsonNode done = ok(api.get("/clusters/meta/c")).json().get("cluster");
        assertThat(done.get("epoch").asLong()).isGreaterThan(before);
        assertThat(ok(api.get("/clusters/info/c")).text())
                .startsWith("{\"name\":\"c\",\"node_number\":8,\"node_number_with_slots\":8,\"is_migrating\":false,");

        String noneTag = "{\"cluster_name\": \"c\", \"slot_range\": {\"range_list\": [[0, 1]], \"tag\": \"None\"}}";
        assertRejected(() -> api.put("/clusters/migrations", noneTag), 400, "INVALID_MIGRATION_TASK");
        String meta = "{\"epoch\": 1, \"src_proxy_address\": \"a:1\", \"src_node_address\": \"a:2\", \"dst_proxy_address\": \"b:1\","
                + " \"dst_node_address\": \"b:2\"}";
        assertRejected(() -> api.put("/clusters/migrations", "{\"cluster_name\": \"nope\", \"slot_range\": {\"range_list\": [[0, 1]],"
                + " \"tag\": {\"Migrating\": " + meta + "}}}"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.put("/clusters/migrations", "{\"cluster_name\": \"bad.name\", \"slot_range\": {\"range_list\": [[0, 1]],"
                + " \"tag\": {\"Migrating\": " + meta + "}}}"), 400, "INVALID_CLUSTER_NAME");
        assertRejected(() -> api.put("/clusters/migrations", "{\"cluster_name\": \"c\", \"slot_range\": {\"range_list\": [[0, 1]],"
                + " \"tag\": {\"Moving\": " + meta + "}}}"), 400, "INVALID_REQUEST");

        // and back to 4
        assertRejected(() -> api.post("/clusters/migrations/shrink/c/8"), 400, "INVALID_NODE_NUMBER");
        assertRejected(() -> api.post("/clusters/migrations/shrink/c/0"), 400, "INVALID_NODE_NUMBER");
        assertRejected(() -> api.post("/clusters/migrations/shrink/nope/4"), 404, "CLUSTER_NOT_FOUND");
        ok(api.post("/clusters/migrations/shrink/c/4"));
        for (int round = 0; round < 10 && ok(api.get("/clusters/info/c")).json().get("is_migrating").asBoolean(); round++) {
            for (JsonNode n : ok(api.get("/clusters/meta/c")).json().get("cluster").get("nodes")) {
                for (JsonNode s : n.get("slots")) {
                    if (s.get("tag").isObject() && s.get("tag").has("Importing")) {
                        ok(api.put("/clusters/migrations", "{\"cluster_name\": \"c\", \"slot_range\": " + s + "}"));
                    }
                }
            }
        }
        assertThat(ok(api.get("/clusters/info/c")).json().get("node_number_with_slots").asInt()).isEqualTo(4);
        ok(api.delete("/clusters/free_nodes/c"));
        assertThat(ok(api.get("/clusters/info/c")).json().get("node_number").asInt()).isEqualTo(4);
        JsonNode grown = ok(api.put("/clusters/nodes/c", "{\"cluster_node_number\": 8}")).json();
        assertThat(grown).hasSize(4);
    }

    @Test
    void configChanges() {
        register(2, 1);
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        long e = epoch();
        ok(api.patch("/clusters/config/c", "{\"compression_strategy\": \"Set_Get_Only\", \"migration_scan_count\": \"32\"}"));
        JsonNode config = ok(api.get("/clusters/meta/c")).json().get("cluster").get("config");
        assertThat(config.get("compression_strategy").asText()).isEqualTo("set_get_only");
        assertThat(config.get("migration_config").get("scan_count").asInt()).isEqualTo(32);
        assertThat(epoch()).isEqualTo(e + 1);
        ok(api.patch("/clusters/config/c", "{}"));
        assertThat(epoch()).isEqualTo(e + 2);

        String before = api.get("/metadata").text();
        Reply bad = api.patch("/clusters/config/c", "{\"compression_strategy\": \"allow_all\", \"migration_nope\": \"1\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).isEqualTo("{\"error\":\"INVALID_CONFIG\",\"key\":\"migration_nope\",\"value\":\"1\",\"message\":\"FIELD_NOT_FOUND\"}");
        assertThat(api.get("/metadata").text()).isEqualTo(before);
        assertRejected(() -> api.patch("/clusters/config/c", "{\"migration_scan_interval\": \"-1\"}"), 400, "INVALID_CONFIG");
        assertRejected(() -> api.patch("/clusters/config/c", "{\"migration_scan_count\": 32}"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.patch("/clusters/config/c", "[\"a\"]"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.patch("/clusters/config/nope", "{}"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.patch("/clusters/config/bad.name", "{}"), 400, "INVALID_CLUSTER_NAME");
    }

    @Test
    void failuresFailoverAndBalance() {
        register(3, 1);
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        JsonNode nodes = ok(api.get("/clusters/meta/c")).json().get("cluster").get("nodes");
        String p0 = nodes.get(0).get("proxy_address").asText();
        long e = epoch();
        ok(api.post("/failures/" + p0 + "/coordinator1"));
        assertThat(epoch()).isEqualTo(e + 1);
        ok(api.post("/failures/" + p0 + "/coordinator1"));
        assertThat(epoch()).as("a repeated report changes nothing").isEqualTo(e + 1);
        ok(api.post("/failures/not-registered:1/coordinator1"));
        assertThat(epoch()).as("any new report bumps, registered or not").isEqualTo(e + 2);
        e = e + 1;
        assertThat(ok(api.get("/failures")).json().get("addresses").toString()).isEqualTo("[\"" + p0 + "\"]");

        // ours: the replica that would be promoted has not reported a sync: refused, nothing changes
        String n0 = nodes.get(0).get("address").asText();
        String n3 = nodes.get(3).get("address").asText();
        Reply refused = api.post("/proxies/failover/" + p0);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("REPLICA_NOT_SYNCED");
        assertThat(refused.json().get("message").asText()).contains("replica " + n3, "master " + n0, "failover_losing_data/" + p0);
        assertThat(epoch()).isEqualTo(e + 1);
        JsonNode info = ok(api.get("/clusters/info/c")).json();
        assertThat(info.get("replicas_not_synced")).hasSize(2);
        assertThat(info.get("replicas_not_synced").get(0).get("master").asText()).isEqualTo(n0);
        assertThat(info.get("replicas_not_synced").get(0).get("replica").asText()).isEqualTo(n3);
        assertThat(info.get("failovers_refused")).hasSize(1);
        assertThat(info.get("failovers_refused").get(0).get("proxy").asText()).isEqualTo(p0);
        assertThat(info.get("failovers_refused").get(0).get("reason").asText()).isEqualTo(refused.json().get("message").asText());
        // the coordinator reports the sync (a stale pair is ignored), no epoch change
        JsonNode sync = ok(api.post("/replicas/sync_state", "{\"replicas\": [{\"replica\": \"" + n3 + "\", \"master\": \""
                + n0 + "\", \"synced\": true}, {\"replica\": \"" + n0 + "\", \"master\": \"" + n3 + "\", \"synced\": true}]}")).json();
        assertThat(sync.get("changed").toString()).isEqualTo("[\"" + n3 + "\"]");
        assertThat(sync.get("ignored").toString()).isEqualTo("[\"" + n0 + "\"]");
        assertThat(epoch()).isEqualTo(e + 1);
        assertThat(ok(api.get("/clusters/info/c")).json().get("replicas_not_synced")).hasSize(1);
        assertThat(ok(api.get("/clusters/info/c")).json().has("failovers_refused")).isFalse();
        assertRejected(() -> api.post("/replicas/sync_state", "{\"replicas\": [{\"replica\": \"a:1\"}]}"), 400, "INVALID_REQUEST");

        JsonNode replacement = ok(api.post("/proxies/failover/" + p0)).json().get("proxy");
        assertThat(replacement.get("cluster_name").asText()).isEqualTo("c");
        assertThat(replacement.get("address").asText()).isNotEqualTo(p0);
        assertThat(replacement.get("nodes").get(0).get("repl").get("role").asText()).isEqualTo("replica");
        assertThat(epoch()).isEqualTo(e + 3);
        assertThat(ok(api.get("/proxies/failed/addresses")).json().get("addresses").toString()).isEqualTo("[\"" + p0 + "\"]");
        // the freed proxy's later failover clears its report, no epoch change
        assertThat(ok(api.post("/proxies/failover/" + p0)).text()).isEqualTo("{\"proxy\":null}");
        assertThat(epoch()).isEqualTo(e + 3);
        assertThat(ok(api.get("/failures")).json().get("addresses")).isEmpty();
        assertRejected(() -> api.post("/proxies/failover/10.1.1.1:1"), 404, "PROXY_NOT_FOUND");

        // the survivor fails before the replacement's replicas synced: only the operator's explicit
        // call promotes them; no free proxy left, the takeover sticks
        String p1 = nodes.get(2).get("proxy_address").asText();
        assertThat(api.post("/proxies/failover/" + p1).error()).isEqualTo("REPLICA_NOT_SYNCED");
        Reply none = api.post("/proxies/failover_losing_data/" + p1);
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.error()).isEqualTo("NO_AVAILABLE_RESOURCE");
        JsonNode afterTakeover = ok(api.get("/clusters/meta/c")).json().get("cluster").get("nodes");
        assertThat(afterTakeover.get(0).get("repl").get("role").asText()).isEqualTo("master");
        assertThat(afterTakeover.get(1).get("repl").get("role").asText()).isEqualTo("master");
        assertThat(ok(api.get("/proxies/failed/addresses")).json().get("addresses")).hasSize(2);

        // re-registering the first failed proxy brings it back: 409, but it is free again
        Reply back = api.addProxy(p0, "127.0.0.1:7000", "127.0.0.1:7001", "host0");
        assertThat(back.status()).isEqualTo(409);
        assertThat(back.error()).isEqualTo("ALREADY_EXISTED");
        assertThat(ok(api.get("/proxies/failed/addresses")).json().get("addresses").toString()).isEqualTo("[\"" + p1 + "\"]");

        long b = epoch();
        ok(api.put("/clusters/balance/c"));
        assertThat(epoch()).isEqualTo(b + 1);
        assertRejected(() -> api.put("/clusters/balance/nope"), 404, "CLUSTER_NOT_FOUND");
        assertRejected(() -> api.put("/clusters/balance/bad.name"), 400, "INVALID_CLUSTER_NAME");
    }

    @Test
    void epochsMetadataAndConfig() throws Exception {
        register(2, 1);
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        assertRejected(() -> api.put("/epoch/3"), 409, "EPOCH_SMALLER_THAN_CURRENT");
        ok(api.put("/epoch/233"));
        assertThat(epoch()).isEqualTo(233);
        assertThat(ok(api.get("/clusters/meta/c")).json().get("cluster").get("epoch").asLong()).isEqualTo(233);

        // metadata round trip, replacement rules
        String meta = ok(api.get("/metadata")).text();
        MetaStore store = Json.mapper().readValue(meta, MetaStore.class);
        assertThat(store).isEqualTo(broker.snapshot());
        ok(api.put("/metadata", meta)); // equal epoch is accepted
        assertRejected(() -> api.put("/metadata", meta.replace("\"global_epoch\":233", "\"global_epoch\":232")), 409,
                "EPOCH_SMALLER_THAN_CURRENT");
        assertRejected(() -> api.put("/metadata", meta.replace("mem-broker-0.2", "mem-broker-0.1")), 409, "INVALID_META_VERSION");
        assertRejected(() -> api.put("/metadata", meta.replace("\"c\":{\"epoch\"", "\"d\":{\"epoch\"")), 400, "INVALID_METADATA");
        assertRejected(() -> api.put("/metadata", meta.replace(",\"enable_ordered_proxy\":false", "")), 400, "INVALID_REQUEST");
        assertRejected(() -> api.put("/metadata", meta.substring(0, meta.length() / 2)), 400, "INVALID_REQUEST");
        String newer = meta.replace("\"global_epoch\":233", "\"global_epoch\":300").replace("\"enable_ordered_proxy\":false",
                "\"enable_ordered_proxy\":true");
        ok(api.put("/metadata", newer));
        assertThat(epoch()).isEqualTo(300);
        assertThat(broker.snapshot().enableOrderedProxy()).isTrue();

        assertThat(ok(api.get("/config")).text()).isEqualTo("{\"replica_addresses\":[]}");
        ok(api.put("/config", "{\"replica_addresses\": [\"127.0.0.1:8899\"]}"));
        assertThat(ok(api.get("/config")).text()).isEqualTo("{\"replica_addresses\":[\"127.0.0.1:8899\"]}");
        assertRejected(() -> api.put("/config", "{\"replica_addresses\": \"127.0.0.1:8899\"}"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.put("/config", "{}"), 400, "INVALID_REQUEST");
    }

    @Test
    void epochRecoveryAsksEveryProxy() {
        register(2, 1); // nothing listens on these addresses
        long g = epoch();
        JsonNode r = ok(api.put("/epoch/recovery")).json();
        assertThat(r.get("failed_addresses").toString()).isEqualTo("[\"" + proxy(0) + "\",\"" + proxy(1) + "\"]");
        assertThat(epoch()).isEqualTo(g + 1);
    }

    @Test
    void concurrentCallsAreSerializedAndReadsNeverSeeAHalfChange() throws Exception {
        int writers = 8;
        int perWriter = 40;
        java.util.concurrent.atomic.AtomicInteger badReads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int ww = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perWriter; i++) {
                    int k = ww * perWriter + i;
                    Reply r = api.addProxy("10.0." + ww + "." + i + ":6000", "10.1.0.1:" + (10000 + 2 * k), "10.1.0.1:" + (10001 + 2 * k),
                            "host" + (k % 5));
                    if (r.status() != 200) {
                        badReads.incrementAndGet();
                    }
                    api.post("/failures/10.0." + ww + "." + i + ":6000/r" + ww);
                }
            }));
        }
        Thread reader = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                // every published store is consistent: one epoch bump per proxy and per report
                JsonNode m = api.get("/metadata").json();
                int proxies = m.get("all_proxies").size();
                int reports = 0;
                for (JsonNode f : m.get("failures")) {
                    reports += f.size();
                }
                if (m.get("global_epoch").asInt() != proxies + reports) {
                    badReads.incrementAndGet();
                }
            }
        });
        for (Thread t : threads) {
            t.join();
        }
        done.set(true);
        reader.join();
        assertThat(badReads).hasValue(0);
        assertThat(epoch()).isEqualTo(2L * writers * perWriter);
        assertThat(ok(api.get("/proxies/addresses")).json().get("addresses")).hasSize(writers * perWriter);
        assertThat(ok(api.get("/failures")).json().get("addresses")).hasSize(writers * perWriter);
    }

    @Test
    void resourceCheck() {
        register(4, 2);
        assertThat(ok(api.post("/resources/failures/check")).text()).isEqualTo("{\"hosts_cannot_fail\":[]}");
        ok(api.post("/clusters/meta/c", "{\"node_number\": 16}"));
        List<String> hosts = new ArrayList<>();
        ok(api.post("/resources/failures/check")).json().get("hosts_cannot_fail").forEach(h -> hosts.add(h.asText()));
        assertThat(hosts).isNotEmpty().allMatch(h -> h.startsWith("host"));
    }

    /**
     * Regression (HTTP fuzzing): requests Jetty refuses itself (an invalid path encoding, a raw
     * non-ASCII byte in the path, headers too large) got an HTML page, or for methods other than GET,
     * POST and HEAD an empty body; they now get the JSON error body too.
     */
    @Test
    void requestsRefusedBeforeAnyHandlerGetAJsonError() throws Exception {
        String before = api.get("/metadata").text();
        List<byte[]> requests = List.of(
                "GET /api/v3/clusters/meta/% HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "DELETE /api/v3/clusters/meta/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "get /api/v3/clusters/meta/\u00cd1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                "GET /api/v3/clusters/meta/a b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                ("GET /api/v3/version HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        try (io.undermoon.broker.testing.RawHttp raw = new io.undermoon.broker.testing.RawHttp("127.0.0.1", broker.port(), 10_000)) {
            for (byte[] request : requests) {
                io.undermoon.broker.testing.RawHttp.Response r = raw.exchange(request, false);
                String what = new String(request, 0, 40, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(r.status()).as(what).isIn(400, 431, 505);
                assertThat(r.header("content-type")).as(what).startsWith("application/json");
                assertThat(Json.mapper().readTree(r.body()).path("error").asText()).as(what).isEqualTo("INVALID_REQUEST");
            }
        }
        assertThat(api.get("/metadata").text()).isEqualTo(before);
    }

    /** Regression (HTTP fuzzing): an epoch set near 2^63 left no room for bumps; every later change failed. */
    @Test
    void epochsThatLeaveNoRoomForChangesAreRefused() {
        register(2, 2);
        assertRejected(() -> api.put("/epoch/9223372036854775807"), 400, "INVALID_REQUEST");
        assertRejected(() -> api.put("/epoch/4611686018427387904"), 400, "INVALID_REQUEST");
        JsonNode store = api.get("/metadata").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) store).put("global_epoch", Long.MAX_VALUE);
        assertRejected(() -> api.put("/metadata", store.toString()), 400, "INVALID_METADATA");
        ok(api.put("/epoch/4611686018427387903"));
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        assertThat(epoch()).isEqualTo(4611686018427387904L);
    }

    /** Regression (HTTP fuzzing): a migration tag with a null meta was an INTERNAL_ERROR (NullPointerException). */
    @Test
    void aMigrationTaskWithoutMetaIsAnInvalidRequest() {
        register(2, 2);
        ok(api.post("/clusters/meta/c", "{\"node_number\": 4}"));
        assertRejected(() -> api.put("/clusters/migrations",
                "{\"cluster_name\":\"c\",\"slot_range\":{\"range_list\":[[0,100]],\"tag\":{\"Migrating\":null}}}"),
                400, "INVALID_REQUEST");
    }
}
