package io.undermoon.broker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.undermoon.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An external metadata storage service as the reference's example describes it: one store per
 * name at {@code /api/v1/store/<name>}, basic auth, an integer version that goes up on every
 * change; a stale version is 409, a missing version once data exists is 400, an unchanged store
 * is a no-op, and a PUT with a null version only initialises.
 */
public final class TestStorageServer implements AutoCloseable {
    private final HttpServer server;
    private final String name;
    private final String password;
    private JsonNode store;
    private long version;
    public final AtomicLong delayMillis = new AtomicLong();
    public final AtomicBoolean conflictNextPut = new AtomicBoolean();
    public final AtomicBoolean answerNullVersion = new AtomicBoolean();
    public final AtomicBoolean failEverything = new AtomicBoolean();
    public final AtomicInteger puts = new AtomicInteger();
    public final AtomicInteger gets = new AtomicInteger();

    public TestStorageServer(String name, String password) throws IOException {
        this.name = name;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/store/", this::handle);
        server.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized JsonNode store() {
        return store;
    }

    public synchronized long version() {
        return version;
    }

    /** Writes a store behind the broker's back (another broker, an operator). */
    public synchronized void overwrite(JsonNode newStore) {
        store = newStore;
        version++;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            long delay = delayMillis.get();
            if (delay > 0) {
                Thread.sleep(delay);
            }
            if (failEverything.get()) {
                reply(ex, 500, "{}");
                return;
            }
            String expected = "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))
                    || !ex.getRequestURI().getPath().equals("/api/v1/store/" + name)) {
                reply(ex, 401, "{}");
                return;
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> get(ex);
                case "PUT" -> put(ex);
                default -> reply(ex, 405, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void get(HttpExchange ex) throws IOException {
        gets.incrementAndGet();
        if (store == null) {
            reply(ex, 404, "{}");
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        if (answerNullVersion.get()) {
            body.putNull("version");
        } else {
            body.put("version", Long.toString(version));
        }
        body.set("store", store);
        reply(ex, 200, body.toString());
    }

    private synchronized void put(HttpExchange ex) throws IOException {
        JsonNode body = Json.mapper().readTree(ex.getRequestBody());
        JsonNode v = body.get("version");
        if (v == null || v.isNull()) {
            if (store == null) {
                store = body.get("store");
                version = 1;
            }
            reply(ex, 200, "{}");
            return;
        }
        if (store == null) {
            reply(ex, 400, "{}");
            return;
        }
        if (conflictNextPut.getAndSet(false) || !v.asText().equals(Long.toString(version))) {
            reply(ex, 409, "{}");
            return;
        }
        puts.incrementAndGet();
        if (!body.get("store").equals(store)) {
            store = body.get("store");
            version++;
        }
        reply(ex, 200, "{}");
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
