package io.undermoon.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one HTTP client of the broker's API for the local system, the chaos harness, the tests and
 * the benchmarks: a call to one broker with a deadline, request bodies written by Jackson. Retrying
 * on another broker is the caller's choice ({@link LocalCluster#http} takes the first live broker;
 * the chaos harness skips a broker that timed out). The coordinator has its own client
 * ({@code HttpBrokerClient}) with the production retry rules.
 */
public final class BrokerHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    public BrokerHttp(Duration connectTimeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /** A body as JSON text (records, maps, lists and scalars through Jackson). */
    public static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON for " + body.getClass().getSimpleName(), e);
        }
    }

    /**
     * One call to {@code broker} ({@code host:port}); {@code body} is a JSON text or null. Any status
     * is returned; a broker that cannot be reached or does not answer within {@code timeout} is an
     * {@link UncheckedIOException} (its cause tells which: {@code HttpConnectTimeoutException},
     * {@code HttpTimeoutException}, {@code ConnectException}).
     */
    public HttpResponse<String> send(String broker, String method, String path, String body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + broker + path)).timeout(timeout);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the broker at " + broker, e);
        }
    }
}
