package io.undermoon.coordinator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * An HTTP server that answers with a script, for the broker client's error paths that a healthy
 * broker never produces (5xx, malformed bodies, stalls, gzip it was not asked for). It records
 * every request. The happy paths are tested against the real broker.
 */
public final class ScriptedHttpServer implements AutoCloseable {

    /** One request as received. */
    public record Received(String method, String pathAndQuery, String acceptEncoding, String contentType, String body) {}

    /** What to answer; {@code headersDelayMs} before the headers, {@code bodyDelayMs} between headers and body. */
    public record Answer(int status, String body, boolean gzip, long headersDelayMs, long bodyDelayMs) {
        public static Answer json(int status, String body) {
            return new Answer(status, body, false, 0, 0);
        }

        public Answer gzipped() {
            return new Answer(status, body, true, headersDelayMs, bodyDelayMs);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile Function<Received, Answer> script = r -> Answer.json(404, "");

    public ScriptedHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public ScriptedHttpServer answer(Function<Received, Answer> s) {
        script = s;
        return this;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String query = ex.getRequestURI().getRawQuery();
            Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                    ex.getRequestHeaders().getFirst("Accept-Encoding"), ex.getRequestHeaders().getFirst("Content-Type"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (this) {
                received.add(r);
            }
            Answer a = script.apply(r);
            sleep(a.headersDelayMs());
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            if (a.gzip()) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                    gz.write(body);
                }
                body = b.toByteArray();
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                OutputStream out = ex.getResponseBody();
                if (a.bodyDelayMs() > 0) {
                    out.write(body, 0, 1);
                    out.flush();
                    sleep(a.bodyDelayMs());
                    out.write(body, 1, body.length - 1);
                } else {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test)
        }
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
