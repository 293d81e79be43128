package io.undermoon.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.model.Json;
import io.undermoon.model.broker.AddressesResponse;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.ClusterResponse;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NamesResponse;
import io.undermoon.testkit.LocalCluster;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** The broker calls the harness makes, typed with cluster-model's records. */
final class BrokerApi {
    /** The broker did not answer (killed, restarting) or answered something unreadable. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A status and the error code of the JSON body ({@code ""} on success). */
    record Reply(int status, String error) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return status + (error.isEmpty() ? "" : " " + error);
        }
    }

    private final LocalCluster lc;

    BrokerApi(LocalCluster lc) {
        this.lc = lc;
    }

    Reply call(String method, String path) {
        HttpResponse<String> r = send(method, path, null);
        return new Reply(r.statusCode(), r.statusCode() == 200 ? "" : errorCode(r.body()));
    }

    /** Creates a cluster protected by its password ({@link ClusterClients#password}) from its first moment. */
    Reply createCluster(String name, int nodes) {
        HttpResponse<String> r = send("POST", "/api/v3/clusters/meta/" + name, "{\"node_number\":" + nodes
                + ",\"config\":{\"password\":\"" + ClusterClients.password(name) + "\"}}");
        return new Reply(r.statusCode(), r.statusCode() == 200 ? "" : errorCode(r.body()));
    }

    List<String> clusterNames() {
        return read(send("GET", "/api/v3/clusters/names", null), NamesResponse.class).names();
    }

    Optional<ClusterView> cluster(String name) {
        return Optional.ofNullable(read(send("GET", "/api/v3/clusters/meta/" + name, null), ClusterResponse.class).cluster());
    }

    /** Empty when the cluster does not exist. */
    Optional<ClusterInfo> info(String name) {
        HttpResponse<String> r = send("GET", "/api/v3/clusters/info/" + name, null);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(read(r, ClusterInfo.class));
    }

    List<String> failedProxies() {
        return read(send("GET", "/api/v3/proxies/failed/addresses", null), AddressesResponse.class).addresses();
    }

    boolean up() {
        try {
            return send("GET", "/api/v3/version", null).statusCode() == 200;
        } catch (Unavailable e) {
            return false;
        }
    }

    private HttpResponse<String> send(String method, String path, String body) {
        try {
            return lc.http(method, path, body);
        } catch (UncheckedIOException e) {
            throw new Unavailable(method + " " + path + ": " + e.getCause(), e);
        }
    }

    private static <T> T read(HttpResponse<String> r, Class<T> type) {
        if (r.statusCode() != 200) {
            throw new Unavailable("HTTP " + r.statusCode() + " " + r.body(), null);
        }
        try {
            return Json.mapper().readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            throw new Unavailable("unreadable broker reply: " + e.getOriginalMessage(), e);
        }
    }

    private static String errorCode(String body) {
        try {
            JsonNode n = Json.mapper().readTree(body);
            return n.path("error").asText("?");
        } catch (JsonProcessingException e) {
            return body.length() > 80 ? body.substring(0, 80) : body;
        }
    }
}
