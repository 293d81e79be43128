package io.undermoon.broker.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The external HTTP storage protocol (spec §5.4): {@code GET/PUT http://<address>/api/v1/store/<name>}
 * with basic auth {@code name:password}. GET answers {@code {"version", "store"}}; PUT sends
 * {@code {"store", "version"}} and the service compares the version (optimistic concurrency): 409
 * means someone else wrote first.
 */
final class ExternalStoreClient implements AutoCloseable {

    /** The body of both directions; {@code version} is opaque, null before the first write. */
    @JsonPropertyOrder({"store", "version"})
    record Payload(@JsonProperty("store") MetaStore store,
                   @JsonProperty("version") @JsonInclude(JsonInclude.Include.ALWAYS) String version) {
        @JsonCreator
        Payload {
        }
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final URI uri;
    private final String authorization;
    private final Duration timeout;

    ExternalStoreClient(String address, String name, String password, Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).executor(executor).build();
        this.uri = URI.create("http://" + address + "/api/v1/store/" + name);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /** The current store and its version. EXTERNAL on a bad answer, EXTERNAL_TIMEOUT on a timeout. */
    Payload get() throws BrokerException {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri).GET());
        if (r.statusCode() / 100 != 2) {
            throw new BrokerException(BrokerError.EXTERNAL, "external storage GET answered " + r.statusCode());
        }
        try {
            Payload p = BrokerJson.read(r.body(), Payload.class);
            if (p.store() == null) {
                throw new BrokerException(BrokerError.EXTERNAL, "external storage GET returned no store");
            }
            return p;
        } catch (IOException e) {
            throw new BrokerException(BrokerError.EXTERNAL, "external storage GET returned an invalid body: " + e.getMessage());
        }
    }

    /** Writes the store over {@code version} (null: initialise). 409 becomes RETRY. */
    void put(MetaStore store, String version) throws BrokerException {
        byte[] body = BrokerJson.write(new Payload(store, version));
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (r.statusCode() == 409) {
            throw new BrokerException(BrokerError.RETRY, "external storage version conflict");
        }
        if (r.statusCode() / 100 != 2) {
            throw new BrokerException(BrokerError.EXTERNAL, "external storage PUT answered " + r.statusCode());
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws BrokerException {
        try {
            return http.send(b.timeout(timeout).header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new BrokerException(BrokerError.EXTERNAL_TIMEOUT, "external storage timed out");
        } catch (IOException e) {
            throw new BrokerException(BrokerError.EXTERNAL, "external storage unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(BrokerError.EXTERNAL, "interrupted");
        }
    }

    @Override
    public void close() {
        http.close();
        executor.shutdownNow();
    }
}
