package io.undermoon.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.broker.testing.RawHttp;
import io.undermoon.model.Json;
import io.undermoon.process.FreePorts;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.HangGuard;
import io.undermoon.testsupport.fuzz.Printable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of every broker endpoint against one real broker on a random port: each try sends one
 * request built from a route (or a wrong method) with generated path parameters (valid names and
 * addresses, numbers at the edges, percent-encodings, odd and raw bytes), query strings, headers and
 * a body (the route's valid JSON, mutated as JSON or as bytes, wrong types, huge numbers, deep
 * nesting, oversized, random bytes), over a raw socket.
 *
 * <p>Every response must be well-formed HTTP within a deadline; a 4xx/5xx must carry a JSON body
 * {@code {"error": "<CODE>", ...}} and never INTERNAL_ERROR; and a request that failed must leave
 * {@code GET /api/v3/metadata} byte for byte unchanged, except for the partial effects the API
 * documents. The store is reset to its initial state now and then, so that tries keep hitting
 * clusters and proxies that exist.
 */
class BrokerHttpFuzzIT {
    private static final String API = "/api/v3";
    private static final int MAX_BODY = 65536;
    private static final HangGuard GUARD = new HangGuard("broker-http", Duration.ofSeconds(30));
    private static final ByteMutator MUTATOR = new ByteMutator(List.of("{", "}", "[", "]", ":", ",", "\"", "null", "true",
            "-1", "1e400", "\"\\u0000\"", "\"\\ud800\"", "\u00ff", "{}", "[]", "\"node_number\"", "\"cluster_name\"",
            "\"slot_range\"", "\"tag\"", "\"None\"", "\"Migrating\"", "\"range_list\"", "\"nodes\"", "\"proxy_address\""));

    enum Body { NONE, META_STORE, REPLICAS, MIGRATION, NODE_NUMBER, CLUSTER_NODE_NUMBER, CONFIG_PATCH, ADD_PROXY, REPLICA_SYNC }

    record Route(String method, String path, Body body) {}

    /** Every route of the API (BrokerHttpApi), with its parameters in braces. */
    static final List<Route> ROUTES = List.of(
            new Route("GET", "/version", Body.NONE),
            new Route("GET", "/metadata", Body.NONE),
            new Route("PUT", "/metadata", Body.META_STORE),
            new Route("GET", "/epoch", Body.NONE),
            new Route("PUT", "/epoch/{number}", Body.NONE),
            new Route("PUT", "/epoch/recovery", Body.NONE),
            new Route("GET", "/config", Body.NONE),
            new Route("PUT", "/config", Body.REPLICAS),
            new Route("POST", "/resources/failures/check", Body.NONE),
            new Route("GET", "/clusters/names", Body.NONE),
            new Route("GET", "/clusters/meta/{name}", Body.NONE),
            new Route("GET", "/proxies/addresses", Body.NONE),
            new Route("GET", "/proxies/meta/{address}", Body.NONE),
            new Route("POST", "/failures/{address}/{reporter}", Body.NONE),
            new Route("GET", "/failures", Body.NONE),
            new Route("POST", "/proxies/failover/{address}", Body.NONE),
            new Route("POST", "/proxies/failover_losing_data/{address}", Body.NONE),
            new Route("POST", "/replicas/sync_state", Body.REPLICA_SYNC),
            new Route("PUT", "/clusters/migrations", Body.MIGRATION),
            new Route("GET", "/proxies/failed/addresses", Body.NONE),
            new Route("GET", "/clusters/info/{name}", Body.NONE),
            new Route("POST", "/clusters/meta/{name}", Body.NODE_NUMBER),
            new Route("DELETE", "/clusters/meta/{name}", Body.NONE),
            new Route("PATCH", "/clusters/nodes/{name}", Body.NODE_NUMBER),
            new Route("PUT", "/clusters/nodes/{name}", Body.CLUSTER_NODE_NUMBER),
            new Route("DELETE", "/clusters/free_nodes/{name}", Body.NONE),
            new Route("POST", "/clusters/migrations/expand/{name}", Body.NONE),
            new Route("POST", "/clusters/migrations/shrink/{name}/{number}", Body.NONE),
            new Route("POST", "/clusters/migrations/auto/{name}/{number}", Body.NONE),
            new Route("PATCH", "/clusters/config/{name}", Body.CONFIG_PATCH),
            new Route("PUT", "/clusters/balance/{name}", Body.NONE),
            new Route("POST", "/proxies/meta", Body.ADD_PROXY),
            new Route("DELETE", "/proxies/meta/{address}", Body.NONE));

    /** Error codes the API documents as answered after a change was made (docs/broker.md). */
    private static final Map<String, Set<String>> PARTIAL_EFFECTS = Map.of(
            "POST /proxies/meta", Set.of("ALREADY_EXISTED"),
            "POST /proxies/failover/{address}", Set.of("NO_AVAILABLE_RESOURCE"),
            "POST /proxies/failover_losing_data/{address}", Set.of("NO_AVAILABLE_RESOURCE"),
            "POST /clusters/migrations/auto/{name}/{number}", Set.of("PROXY_NOT_SYNC"));

    private static MemBroker broker;
    private static ApiClient api;
    private static RawHttp raw;
    private static JsonNode initialStore;
    private static final List<String> proxies = new ArrayList<>();
    private static int triesSinceReset;

    /** One fuzzed request: which route, how to fill it, and a seed for the mutations. */
    record Shape(int route, int method, int params, int query, int headers, int body, long seed) {}

    @BeforeContainer
    static void startBroker() {
        broker = Brokers.start(Map.of("max_body_size", MAX_BODY, "auto_scale_poll_interval_ms", 1,
                "auto_scale_max_failed_attempts", 1, "auto_scale_timeout", 1, "proxy_epoch_timeout_ms", 50,
                "migration_limit", 1, "failure_quorum", 1));
        api = new ApiClient(broker.address());
        raw = new RawHttp("127.0.0.1", broker.port(), 20_000);
        // 12 proxies on 6 hosts (their ports are free: UMCTL GETEPOCH is refused at once), two clusters
        for (int i = 0; i < 12; i++) {
            String proxy = "127.0.0.1:" + FreePorts.next();
            proxies.add(proxy);
            ApiClient.Reply r = api.addProxy(proxy, "127.0.0.1:" + FreePorts.next(), "127.0.0.1:" + FreePorts.next(),
                    "host" + (i % 6));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        for (String name : List.of("c1", "c2")) {
            ApiClient.Reply r = api.post("/clusters/meta/" + name, "{\"node_number\": 4}");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        initialStore = api.get("/metadata").json();
    }

    @AfterContainer
    static void stopBroker() {
        GUARD.close();
        if (api != null) {
            api.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Property
    void everyEndpointAnswersWithJsonErrorsAndFailedCallsChangeNothing(@ForAll("shapes") Shape shape) throws Exception {
        if (++triesSinceReset >= 40) {
            resetStore();
        }
        Random rnd = new Random(shape.seed());
        Route route = ROUTES.get(shape.route());
        String method = method(route, shape.method(), rnd);
        String target = API + fill(route.path(), shape.params(), rnd) + query(shape.query(), rnd);
        byte[] body = body(route.body(), shape.body(), rnd);
        byte[] request = request(method, target, shape.headers(), body, rnd);
        boolean head = method.equals("HEAD");
        String input = Printable.bytes(request, 600);

        String before = metadata();
        RawHttp.Response r = GUARD.call(input, () -> {
            try {
                return raw.exchange(request, head);
            } catch (IOException e) {
                throw new AssertionError("no well-formed HTTP response to " + input + ": " + e, e);
            }
        });
        String what = route.method() + " " + route.path();
        String code = null;
        if (r.status() >= 400 && !head) {
            assertThat(r.header("content-type")).as("content type of %d %s %s to %s", r.status(), r.headers(), r.text(), input)
                    .startsWith("application/json");
            JsonNode error = Json.mapper().readTree(r.body());
            assertThat(error.isObject() && error.path("error").isTextual()).as("JSON error body %s to %s", r.text(), input)
                    .isTrue();
            code = error.get("error").asText();
            assertThat(code).as("%s to %s", r.text(), input).isNotEqualTo("INTERNAL_ERROR");
            assertThat(r.status() < 500 || code.equals("PROXY_NOT_SYNC") || r.status() == 505 && code.equals("INVALID_REQUEST"))
                    .as("%d %s to %s", r.status(), r.text(), input).isTrue();
        }
        String after = metadata();
        boolean partial = code != null && method.equals(route.method())
                && PARTIAL_EFFECTS.getOrDefault(what, Set.of()).contains(code);
        if (r.status() >= 400 && !partial) {
            assertThat(after).as("the store after %d %s to %s", r.status(), code, input).isEqualTo(before);
        }
        Statistics.label("status").collect(r.status() + (code == null ? "" : " " + code));
    }

    /** The store as GET /api/v3/metadata gives it; also proves the broker still answers. */
    private static String metadata() {
        ApiClient.Reply r = api.get("/metadata");
        assertThat(r.status()).as("the broker still serves GET /metadata").isEqualTo(200);
        return r.text();
    }

    /** Puts the initial clusters and proxies back (at the current global epoch, which PUT accepts). */
    private static void resetStore() {
        triesSinceReset = 0;
        ObjectNode store = initialStore.deepCopy();
        store.put("global_epoch", api.get("/epoch").json().asLong());
        ApiClient.Reply r = api.put("/metadata", store.toString());
        assertThat(r.status()).as("reset: " + r).isEqualTo(200);
    }

    // ---- building requests ----------------------------------------------------------------------

    private static String method(Route route, int choice, Random rnd) {
        if (choice < 8) {
            return route.method();
        }
        List<String> others = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "get", "FOO");
        return others.get(rnd.nextInt(others.size()));
    }

    private static final List<String> NAMES = List.of("c1", "c2", "c3", "new", "", "a".repeat(31), "a".repeat(32),
            "bad name", "b@d-_", "..", ".", "%2F", "%2f..%2f", "%00", "%ZZ", "%", "%25", "%C3%A9", "%E5%90%8D", "a;b",
            "a%3Bb", "-1", "0", "18446744073709551616", "%20", "+", "a?b", "%3F", "%23", "~", "a".repeat(5000));
    private static final List<String> NUMBERS = List.of("0", "1", "4", "8", "12", "16", "-1", "+4", "007", "4.0", "1e3",
            "9223372036854775807", "9223372036854775808", "18446744073709551615", "recovery", "", "%34", "0x10");

    /** The path with its parameters filled: by kind (0..5 valid, then edge cases), percent-encoded or raw. */
    private static String fill(String template, int kind, Random rnd) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int a = template.indexOf('{'); a >= 0; a = template.indexOf('{', from)) {
            int b = template.indexOf('}', a);
            out.append(template, from, a);
            from = b + 1;
            String param = template.substring(a + 1, b);
            String value = switch (param) {
                case "name" -> kind < 5 ? (rnd.nextBoolean() ? "c1" : "c2") : pick(NAMES, rnd);
                case "address" -> kind < 5 ? pick(proxies, rnd) : pick(List.of("127.0.0.1:1", "[::1]:5", "host", "",
                        "127.0.0.1%3A1", "%00", "127.0.0.1:99999", "a".repeat(300) + ":1", "%E2%80%AE"), rnd);
                case "reporter" -> kind < 5 ? "coordinator-" + rnd.nextInt(3) : pick(NAMES, rnd);
                default -> kind < 5 ? Integer.toString(4 * rnd.nextInt(5)) : pick(NUMBERS, rnd);
            };
            if (kind >= 8) {
                value = new String(MUTATOR.mutate(value.getBytes(StandardCharsets.UTF_8), rnd, 1 + rnd.nextInt(3)),
                        StandardCharsets.ISO_8859_1);
            }
            out.append(value);
        }
        out.append(template.substring(from));
        if (kind == 9) {
            out.append(pick(List.of("/", "//", "/extra", "/..", "/%2e%2e", ";jsessionid=1", "#frag", "?"), rnd));
        }
        return out.toString();
    }

    private static String query(int kind, Random rnd) {
        return switch (kind) {
            case 0, 1, 2 -> "";
            case 3 -> "?offset=" + pick(NUMBERS, rnd);
            case 4 -> "?limit=" + pick(NUMBERS, rnd) + "&offset=" + pick(NUMBERS, rnd);
            case 5 -> "?limit=&offset";
            default -> "?" + pick(List.of("a=%", "%%%", "limit=1&limit=2", "x=" + "y".repeat(3000), "&&&", "offset=%00"), rnd);
        };
    }

    private static byte[] request(String method, String target, int kind, byte[] body, Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, method + " " + target + " HTTP/1.1\r\n");
        ascii(out, "Host: 127.0.0.1\r\n");
        String contentType = switch (kind) {
            case 0, 1, 2, 3 -> "application/json";
            case 4 -> null;
            case 5 -> "application/json; charset=utf-8";
            case 6 -> "text/plain";
            case 7 -> "application/x-www-form-urlencoded";
            default -> pick(List.of("", ";", "application/", "APPLICATION/JSON", "application/json;;;", "\u00ff/\u00ff"), rnd);
        };
        if (contentType != null) {
            ascii(out, "Content-Type: " + contentType + "\r\n");
        }
        if (rnd.nextInt(4) == 0) {
            ascii(out, "Accept-Encoding: " + pick(List.of("gzip", "gzip;q=0", "*", "br, gzip", "identity"), rnd) + "\r\n");
        }
        boolean chunked = kind == 3 && body.length > 0;
        if (chunked) {
            ascii(out, "Transfer-Encoding: chunked\r\n\r\n");
            for (int off = 0; off < body.length; ) {
                int n = Math.min(body.length - off, 1 + rnd.nextInt(4096));
                ascii(out, Integer.toHexString(n) + "\r\n");
                out.write(body, off, n);
                ascii(out, "\r\n");
                off += n;
            }
            ascii(out, "0\r\n\r\n");
        } else {
            ascii(out, "Content-Length: " + body.length + "\r\n\r\n");
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** A body of the route's kind: none, valid, JSON-mutated, byte-mutated, random, oversized or deeply nested. */
    private static byte[] body(Body kind, int variant, Random rnd) throws IOException {
        JsonNode valid = validBody(kind, rnd);
        byte[] validBytes = valid == null ? new byte[0] : Json.mapper().writeValueAsBytes(valid);
        return switch (variant) {
            case 0 -> new byte[0];
            case 1, 2 -> validBytes;
            case 3, 4, 5 -> valid == null ? new byte[0] : Json.mapper().writeValueAsBytes(JsonMutations.mutate(valid, rnd));
            case 6, 7 -> MUTATOR.mutate(validBytes.length == 0 ? "{}".getBytes(StandardCharsets.US_ASCII) : validBytes, rnd,
                    1 + rnd.nextInt(6));
            case 8 -> {
                byte[] junk = new byte[rnd.nextInt(300)];
                rnd.nextBytes(junk);
                yield junk;
            }
            case 9 -> ("{\"node_number\": 4, \"pad\": \"" + "x".repeat(MAX_BODY + rnd.nextInt(4096)) + "\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            default -> {
                int depth = 100 + rnd.nextInt(20_000);
                yield ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
            }
        };
    }

    private static JsonNode validBody(Body kind, Random rnd) throws IOException {
        String json = switch (kind) {
            case NONE -> null;
            case META_STORE -> {
                ObjectNode store = initialStore.deepCopy();
                store.put("global_epoch", api.get("/epoch").json().asLong());
                yield store.toString();
            }
            case REPLICAS -> "{\"replica_addresses\": []}";
            case MIGRATION -> "{\"cluster_name\": \"c1\", \"slot_range\": {\"range_list\": [[0, 100]], \"tag\": {\"Migrating\": "
                    + "{\"epoch\": 3, \"src_proxy_address\": \"" + proxies.get(0) + "\", \"src_node_address\": \"a:1\", "
                    + "\"dst_proxy_address\": \"" + proxies.get(1) + "\", \"dst_node_address\": \"b:1\"}}}}";
            case NODE_NUMBER -> "{\"node_number\": " + 4 * rnd.nextInt(3) + "}";
            case CLUSTER_NODE_NUMBER -> "{\"cluster_node_number\": " + 4 * rnd.nextInt(4) + "}";
            case CONFIG_PATCH -> "{\"compression_strategy\": \"disabled\", \"migration_scan_count\": \"32\"}";
            case ADD_PROXY -> "{\"proxy_address\": \"127.0.0.1:" + (20000 + rnd.nextInt(100)) + "\", \"nodes\": [\"127.0.0.1:"
                    + (30000 + rnd.nextInt(100)) + "\", \"127.0.0.1:" + (30100 + rnd.nextInt(100)) + "\"], \"host\": \"h"
                    + rnd.nextInt(8) + "\"}";
            case REPLICA_SYNC -> "{\"replicas\": [{\"replica\": \"127.0.0.1:" + (30000 + rnd.nextInt(100))
                    + "\", \"master\": \"127.0.0.1:" + (30100 + rnd.nextInt(100)) + "\", \"synced\": " + rnd.nextBoolean() + "}]}";
        };
        return json == null ? null : Json.mapper().readTree(json);
    }

    private static <T> T pick(List<T> list, Random rnd) {
        return list.get(rnd.nextInt(list.size()));
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Combinators.combine(Arbitraries.integers().between(0, ROUTES.size() - 1), Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 10), Arbitraries.longs())
                .as(Shape::new);
    }
}
