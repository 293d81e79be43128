package io.undermoon.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.model.Json;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The broker's HTTP API as {@code ctl} uses it. Every failure becomes a {@link CtlException} with one
 * line that names the broker and, for a refused request, the broker's error code and message.
 */
final class BrokerApi implements AutoCloseable {
    private final String broker;
    private final Duration timeout;
    private final HttpClient http;

    BrokerApi(String broker, Duration timeout) throws CtlException {
        int colon = broker.lastIndexOf(':');
        boolean ok = colon > 0 && colon < broker.length() - 1 && broker.indexOf('/') < 0 && broker.indexOf(' ') < 0;
        if (ok) {
            try {
                int port = Integer.parseInt(broker.substring(colon + 1));
                ok = port > 0 && port < 65536;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new CtlException(ExitCodes.USAGE, "invalid broker address '" + broker + "': expected HOST:PORT");
        }
        this.broker = broker;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    String broker() {
        return broker;
    }

    /** GET, the body on 2xx. */
    String get(String path) throws CtlException {
        return send("GET", path, null, timeout);
    }

    JsonNode getJson(String path) throws CtlException {
        return parse(get(path), path);
    }

    MetaStore metadata() throws CtlException {
        String body = get("/api/v3/metadata");
        try {
            return Json.mapper().readValue(body, MetaStore.class);
        } catch (IOException e) {
            throw new CtlException(ExitCodes.FAILED, "broker " + broker + ": unreadable metadata: " + e.getMessage());
        }
    }

    String send(String method, String path, String json) throws CtlException {
        return send(method, path, json, timeout);
    }

    /** A request whose answer may take {@code answerTimeout} (the auto-scale call waits for the proxies). */
    String send(String method, String path, String json, Duration answerTimeout) throws CtlException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + broker + path)).timeout(answerTimeout)
                .header("Accept-Encoding", "identity");
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new CtlException(ExitCodes.UNREACHABLE, "broker " + broker + " did not accept a connection within "
                    + timeout.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new CtlException(ExitCodes.UNREACHABLE, "broker " + broker + " did not answer " + method + " " + path
                    + " within " + answerTimeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new CtlException(ExitCodes.UNREACHABLE, "cannot connect to the broker at " + broker
                    + " (nothing listening there?); set --broker or UNDERMOON_BROKER_ADDRESS");
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CtlException(ExitCodes.UNREACHABLE, "broker " + broker + ": " + msg);
        } catch (IllegalArgumentException e) {
            throw new CtlException(ExitCodes.USAGE, "cannot build a request for " + path + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCodes.INTERRUPTED, "interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            throw new CtlException(ExitCodes.FAILED, "broker " + broker + " refused " + method + " " + path + ": HTTP "
                    + r.statusCode() + " " + errorText(r.body()));
        }
        return r.body();
    }

    /** {@code CODE: message} from the broker's JSON error body, or the body itself. */
    static String errorText(String body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            if (n != null && n.has("error")) {
                StringBuilder sb = new StringBuilder(n.get("error").asText());
                for (String k : new String[] {"message", "key", "value"}) {
                    if (n.has(k)) {
                        sb.append(k.equals("message") ? ": " : " " + k + "=").append(n.get(k).asText());
                    }
                }
                return sb.toString();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show it as it is
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private JsonNode parse(String body, String path) throws CtlException {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new CtlException(ExitCodes.FAILED, "broker " + broker + ": " + path + " is not JSON: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
