package io.undermoon.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.model.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/** A plain HTTP client for a broker under test: no retries, raw status, headers and body. */
public final class ApiClient implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(String hostPort) {
        this.base = "http://" + hostPort + "/api/v3";
    }

    public record Reply(int status, byte[] raw, HttpHeaders headers) {
        public boolean gzipped() {
            return headers.firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
        }

        public String text() {
            if (!gzipped()) {
                return new String(raw, StandardCharsets.UTF_8);
            }
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(text());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + text(), e);
            }
        }

        /** The error code of a JSON error body. */
        public String error() {
            JsonNode n = json().get("error");
            return n == null ? null : n.asText();
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    public Reply get(String path) {
        return send("GET", path, null, null);
    }

    public Reply get(String path, String acceptEncoding) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept-Encoding", acceptEncoding).GET());
    }

    public Reply post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Reply post(String path) {
        return send("POST", path, null, null);
    }

    public Reply put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    public Reply put(String path) {
        return send("PUT", path, null, null);
    }

    public Reply patch(String path, String json) {
        return send("PATCH", path, json, "application/json");
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Reply send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return send(b);
    }

    /**
     * A raw body, sent as curl sends a large one: with {@code Expect: 100-continue}, so that a body
     * the broker refuses by its Content-Length is never sent. (Without it the client may still be
     * writing when the broker answers 413 and closes, and the reset can swallow the answer.)
     */
    public Reply sendBytes(String method, String path, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .expectContinue(true).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    private Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"proxy_address": p, "nodes": [n1, n2], "host": h}}. */
    public Reply addProxy(String proxy, String node1, String node2, String host) {
        String hostField = host == null ? "" : ", \"host\": \"" + host + "\"";
        return post("/proxies/meta", "{\"proxy_address\": \"" + proxy + "\", \"nodes\": [\"" + node1 + "\", \"" + node2 + "\"]"
                + hostField + "}");
    }

    @Override
    public void close() {
        http.close();
    }
}
