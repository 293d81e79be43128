package io.undermoon.coordinator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Sets up a real broker under test through its HTTP API, as an operator would. */
public final class BrokerHttp implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public BrokerHttp(String brokerAddress) {
        this.base = "http://" + brokerAddress + "/api/v3";
    }

    /** Status and body (identity encoding). */
    public record Reply(int status, String body) {}

    public Reply send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Accept-Encoding", "identity");
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Reply ok(String method, String path, String json) {
        Reply r = send(method, path, json);
        if (r.status() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " failed: " + r);
        }
        return r;
    }

    public void addProxy(String proxyAddress, List<String> nodes, String host) {
        ok("POST", "/proxies/meta", "{\"proxy_address\":\"" + proxyAddress + "\",\"nodes\":[\"" + nodes.get(0) + "\",\""
                + nodes.get(1) + "\"],\"host\":\"" + host + "\"}");
    }

    public void createCluster(String name, int nodes) {
        ok("POST", "/clusters/meta/" + name, "{\"node_number\":" + nodes + "}");
    }

    public void addNodes(String name, int nodes) {
        ok("PATCH", "/clusters/nodes/" + name, "{\"node_number\":" + nodes + "}");
    }

    public void expand(String name) {
        ok("POST", "/clusters/migrations/expand/" + name, null);
    }

    @Override
    public void close() {
        http.close();
    }
}
