package io.undermoon.coordinator.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.undermoon.coordinator.broker.BrokerCallException.Kind;
import io.undermoon.model.Json;
import io.undermoon.model.broker.AddressesResponse;
import io.undermoon.model.broker.ClusterResponse;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.NamesResponse;
import io.undermoon.model.broker.ProxyResponse;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplicaSyncReport;
import io.undermoon.model.broker.ReplicaSyncResult;
import io.undermoon.model.broker.ReplicaSyncState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * {@link BrokerClient} over {@code java.net.http}: {@code http://<broker>/api/v3<path>}, HTTP/1.1.
 *
 * <p>Like the reference there are two round-robin positions over the shared address list: one for
 * reads and failure reports, one for the calls that change the cluster (failover, commit); every
 * request goes to the next address. Unlike the reference, a broker that fails a call is marked down
 * in {@link BrokerAddresses} (skipped for a while), and the call is tried on the next broker when
 * that is safe: a GET always, any other method only when it was never sent (the connection was
 * refused). A 503 (the broker's store has no quorum) also marks the broker down. Unlike the reference every call
 * is bounded: {@code timeout} limits the connect and the whole exchange including the body, and
 * bodies are capped. With {@code compression} the client sends {@code Accept-Encoding: gzip}, else
 * {@code identity}; a gzip-encoded answer is decompressed either way (the reference broker gzips
 * some answers whatever was asked). Non-2xx answers to GETs are errors (the reference ignores the
 * status and fails only if the body does not parse; an error body could then read as "null").
 */
public final class HttpBrokerClient implements BrokerClient {
    static final int PAGE_SIZE = 100;
    private static final int MAX_PAGES = 100_000;
    private static final int MAX_BODY = 64 << 20;

    private final BrokerAddresses addresses;
    private final BrokerAddresses.Cursor data;
    private final BrokerAddresses.Cursor manipulation;
    private final Duration timeout;
    private final boolean compression;
    private final ExecutorService executor;
    private final HttpClient http;
    private final BrokerCallListener listener;

    public HttpBrokerClient(BrokerAddresses addresses, Duration timeout, boolean compression) {
        this(addresses, timeout, compression, BrokerCallListener.NONE);
    }

    /** @param listener told of every call with its broker, status and duration (metrics) */
    public HttpBrokerClient(BrokerAddresses addresses, Duration timeout, boolean compression, BrokerCallListener listener) {
        this.addresses = addresses;
        this.listener = listener;
        this.data = addresses.cursor();
        this.manipulation = addresses.cursor();
        this.timeout = timeout;
        this.compression = compression;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("broker-http-", 0).factory());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Override
    public Listing clusterNames() {
        return listAll("/clusters/names", body -> Json.mapper().readValue(body, NamesResponse.class).names());
    }

    @Override
    public Listing proxyAddresses() {
        return listAll("/proxies/addresses", body -> Json.mapper().readValue(body, AddressesResponse.class).addresses());
    }

    @Override
    public Optional<ClusterView> cluster(String name) throws BrokerCallException {
        Reply r = get("/clusters/meta/" + name);
        return Optional.ofNullable(r.parse(ClusterResponse.class).cluster());
    }

    @Override
    public Optional<ProxyView> proxy(String address) throws BrokerCallException {
        Reply r = get("/proxies/meta/" + address);
        return Optional.ofNullable(r.parse(ProxyResponse.class).proxy());
    }

    @Override
    public void reportFailure(String proxyAddress, String reporterId) throws BrokerCallException {
        Reply r = send(data, "POST", "/failures/" + proxyAddress + "/" + reporterId, null);
        if (!r.is2xx()) {
            throw r.unexpected();
        }
    }

    @Override
    public List<String> failures() throws BrokerCallException {
        return get("/failures").parse(AddressesResponse.class).addresses();
    }

    @Override
    public long globalEpoch() throws BrokerCallException {
        Reply r = get("/epoch");
        return r.parse(Long.class);
    }

    @Override
    public List<String> failedProxies() throws BrokerCallException {
        return get("/proxies/failed/addresses").parse(AddressesResponse.class).addresses();
    }

    @Override
    public Optional<ProxyView> failover(String proxyAddress) throws BrokerCallException {
        Reply r = send(manipulation, "POST", "/proxies/failover/" + proxyAddress, null);
        if (r.status() == 409) {
            String reason = r.refusal();
            throw reason != null ? new BrokerCallException(Kind.REFUSED, reason) : r.retry();
        }
        if (!r.is2xx()) {
            throw r.unexpected();
        }
        return Optional.ofNullable(r.parse(ProxyResponse.class).proxy());
    }

    @Override
    public void commitMigration(MigrationTaskMeta task) throws BrokerCallException {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(task);
        } catch (JsonProcessingException e) {
            throw new BrokerCallException(Kind.INVALID_REQUEST, "cannot encode migration task: " + e.getOriginalMessage(), e);
        }
        Reply r = send(manipulation, "PUT", "/clusters/migrations", body);
        if (r.status() == 409) {
            throw r.retry();
        }
        if (!r.is2xx() && r.status() != 404) {
            throw r.unexpected();
        }
    }

    @Override
    public ReplicaSyncResult reportReplicaSync(List<ReplicaSyncState> states) throws BrokerCallException {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(new ReplicaSyncReport(states));
        } catch (JsonProcessingException e) {
            throw new BrokerCallException(Kind.INVALID_REQUEST, "cannot encode replica states: " + e.getOriginalMessage(), e);
        }
        Reply r = send(data, "POST", "/replicas/sync_state", body);
        if (!r.is2xx()) {
            throw r.unexpected();
        }
        return r.parse(ReplicaSyncResult.class);
    }

    private Reply get(String path) throws BrokerCallException {
        Reply r = send(data, "GET", path, null);
        if (!r.is2xx()) {
            throw r.unexpected();
        }
        return r;
    }

    @FunctionalInterface
    private interface PageParser {
        List<String> parse(byte[] body) throws IOException;
    }

    /** Pages of 100 from offset 0 until an empty page; an error ends the listing with what was read. */
    private Listing listAll(String path, PageParser parser) {
        List<String> items = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            List<String> got;
            try {
                Reply r = get(path + "?offset=" + ((long) page * PAGE_SIZE) + "&limit=" + PAGE_SIZE);
                try {
                    got = parser.parse(r.body());
                } catch (IOException | RuntimeException e) {
                    throw r.invalid(e);
                }
            } catch (BrokerCallException e) {
                return Listing.partial(items, e);
            }
            if (got.isEmpty()) {
                return Listing.complete(items);
            }
            items.addAll(got);
        }
        return Listing.partial(items, new BrokerCallException(Kind.INVALID_REPLY,
                "GET " + path + ": more than " + MAX_PAGES + " pages"));
    }

    private Reply send(BrokerAddresses.Cursor cursor, String method, String path, byte[] body) throws BrokerCallException {
        int tries = Math.max(1, cursor.size());
        for (int attempt = 1; ; attempt++) {
            String broker = cursor.next();
            try {
                Reply r = sendTo(broker, method, path, body);
                if (r.status() == 503) {
                    addresses.markDown(broker);
                    if (attempt < tries && method.equals("GET")) {
                        continue;
                    }
                } else {
                    addresses.markUp(broker);
                }
                return r;
            } catch (BrokerCallException e) {
                if (e.kind() != Kind.IO) {
                    throw e;
                }
                addresses.markDown(broker);
                boolean neverSent = e.getCause() instanceof java.net.ConnectException
                        || e.getCause() instanceof java.net.http.HttpConnectTimeoutException;
                if (attempt >= tries || !(method.equals("GET") || neverSent)) {
                    throw e;
                }
            }
        }
    }

    private Reply sendTo(String broker, String method, String path, byte[] body) throws BrokerCallException {
        long start = System.nanoTime();
        int status = -1;
        try {
            Reply r = exchange(broker, method, path, body);
            status = r.status();
            return r;
        } finally {
            listener.called(broker, method, path, status, System.nanoTime() - start);
        }
    }

    private Reply exchange(String broker, String method, String path, byte[] body) throws BrokerCallException {
        String what = method + " " + path + " on broker " + broker;
        URI uri;
        try {
            uri = new URI("http://" + broker + "/api/v3" + path);
        } catch (URISyntaxException e) {
            throw new BrokerCallException(Kind.INVALID_REQUEST, what + ": not a valid URL: " + e.getReason(), e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept-Encoding", compression ? "gzip" : "identity");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        CompletableFuture<HttpResponse<byte[]>> future;
        try {
            future = http.sendAsync(b.build(), info -> new LimitedBodySubscriber(MAX_BODY));
        } catch (IllegalArgumentException e) {
            throw new BrokerCallException(Kind.INVALID_REQUEST, what + ": " + e.getMessage(), e);
        }
        HttpResponse<byte[]> response;
        try {
            // the request timeout covers the wait for the headers; this bounds the body as well
            response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new BrokerCallException(Kind.IO, what + ": timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new BrokerCallException(Kind.IO, what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new BrokerCallException(Kind.IO, what + ": " + msg, cause);
        }
        byte[] raw = response.body();
        boolean gzip = response.headers().firstValue("Content-Encoding")
                .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("gzip")).orElse(false);
        byte[] decoded;
        try {
            decoded = gzip ? gunzip(raw) : raw;
        } catch (IOException e) {
            throw new BrokerCallException(Kind.INVALID_REPLY, what + ": bad gzip body: " + e.getMessage(), e);
        }
        return new Reply(what, response.statusCode(), decoded);
    }

    static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length * 4));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_BODY) {
                    throw new IOException("decompressed body larger than " + MAX_BODY + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }

    /** A broker answer: the status and the (decompressed) body. */
    private record Reply(String what, int status, byte[] body) {
        boolean is2xx() {
            return status >= 200 && status < 300;
        }

        <T> T parse(Class<T> type) throws BrokerCallException {
            try {
                T value = Json.mapper().readValue(body, type);
                if (value == null) {
                    throw new IOException("empty body");
                }
                return value;
            } catch (IOException | RuntimeException e) {
                throw invalid(e);
            }
        }

        BrokerCallException invalid(Exception e) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return new BrokerCallException(Kind.INVALID_REPLY, what + ": invalid reply (" + msg + "): " + snippet(), e);
        }

        /** The broker's message when the body is a REPLICA_NOT_SYNCED error (nothing changed), else null. */
        String refusal() {
            try {
                com.fasterxml.jackson.databind.JsonNode n = Json.mapper().readTree(body);
                if (n != null && "REPLICA_NOT_SYNCED".equals(n.path("error").asText())) {
                    String m = n.path("message").asText("");
                    return m.isEmpty() ? what + ": HTTP 409 REPLICA_NOT_SYNCED" : m;
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: an ordinary 409
            }
            return null;
        }

        BrokerCallException retry() {
            return new BrokerCallException(Kind.RETRY, what + ": HTTP 409 " + snippet());
        }

        BrokerCallException unexpected() {
            return new BrokerCallException(Kind.STATUS, what + ": HTTP " + status + " " + snippet());
        }

        private String snippet() {
            String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            return body.length > 200 ? s + "..." : s;
        }
    }
}
