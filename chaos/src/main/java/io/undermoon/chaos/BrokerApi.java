package io.undermoon.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.model.Json;
import io.undermoon.model.broker.AddressesResponse;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.ClusterResponse;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NamesResponse;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.local.BrokerHttp;
import io.undermoon.local.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The broker calls the harness makes, typed with cluster-model's records. With one broker (the
 * memory broker) every call goes through {@link LocalCluster#http}. With several brokers on etcd,
 * a call goes to the broker that answered last, with a short timeout: a broker that does not answer
 * (killed, frozen) is skipped for {@value #SKIP_MILLIS} ms and the call goes on to the next one, so
 * a frozen broker costs the harness one timeout, not a hung thread. A change that may have reached
 * a broker is never sent again to another one.
 *
 * <p>Every metadata change is recorded in the {@link MetadataLedger}: acknowledged on a 2xx, in
 * doubt when it may have happened without an acknowledgement.
 */
final class BrokerApi {
    static final long SKIP_MILLIS = 5000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(10);

    /** The broker did not answer (killed, restarting) or answered something unreadable. */
    static final class Unavailable extends RuntimeException {
        /** The request may have reached a broker (a change sent then may have been applied). */
        final boolean maybeSent;

        Unavailable(String message, Throwable cause) {
            this(message, cause, false);
        }

        Unavailable(String message, Throwable cause, boolean maybeSent) {
            super(message, cause);
            this.maybeSent = maybeSent;
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
    private final MetadataLedger ledger;
    private final RunClock clock;
    private final List<String> addresses;
    private final long[] skipUntil;
    private final BrokerHttp http = new BrokerHttp(Duration.ofSeconds(1));
    private volatile int preferred;

    BrokerApi(LocalCluster lc, MetadataLedger ledger, RunClock clock) {
        this.lc = lc;
        this.ledger = ledger;
        this.clock = clock;
        this.addresses = lc.brokerAddresses();
        this.skipUntil = new long[addresses.size()];
    }

    List<String> addresses() {
        return addresses;
    }

    /** Creates a cluster protected by its password ({@link ClusterClients#password}) from its first moment. */
    Reply createCluster(String name, int nodes) {
        return change(new MetadataLedger.ClusterCreated(name), "POST", "/api/v3/clusters/meta/" + name,
                BrokerHttp.json(Map.of("node_number", nodes, "config", Map.of("password", ClusterClients.password(name)))));
    }

    Reply deleteCluster(String name) {
        return change(new MetadataLedger.ClusterDeleted(name), "DELETE", "/api/v3/clusters/meta/" + name, null);
    }

    /** {@code POST /api/v3/clusters/migrations/auto/<name>/<n>}: scale out or in to {@code nodes}. */
    Reply autoScale(String name, int nodes) {
        return change(new MetadataLedger.ClusterScaled(name, nodes), "POST", "/api/v3/clusters/migrations/auto/" + name + "/" + nodes,
                null);
    }

    /** {@code POST /api/v3/proxies/meta} as {@link LocalCluster#registerProxy} sends it; 409 (already registered) clears a failed state. */
    Reply registerProxy(LocalCluster.ProxyNode p) {
        String body = BrokerHttp.json(Map.of("proxy_address", p.address(),
                "nodes", List.of(p.redis1().address(), p.redis2().address()), "host", p.host()));
        return change(new MetadataLedger.ProxyRegistered(p.address()), "POST", "/api/v3/proxies/meta", body);
    }

    /**
     * Sends a change and records it: acknowledged on a 2xx; in doubt when no answer came after it may
     * have been sent, on a 5xx, and on any refused scale (its first step may have been applied).
     */
    private Reply change(MetadataLedger.Change change, String method, String path, String body) {
        HttpResponse<String> r;
        try {
            r = send(method, path, body, true);
        } catch (Unavailable e) {
            if (e.maybeSent) {
                ledger.inDoubt(clock.now(), change);
            }
            throw e;
        }
        int status = r.statusCode();
        if (status / 100 == 2) {
            ledger.acknowledged(clock.now(), change);
        } else if (status >= 500 || change instanceof MetadataLedger.ClusterScaled) {
            ledger.inDoubt(clock.now(), change);
        }
        return new Reply(status, status == 200 ? "" : errorCode(r.body()));
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

    /** True when this broker answers {@code GET /api/v3/version} within the short timeout. */
    boolean up(String address) {
        try {
            return direct(address, "GET", "/api/v3/version", null, READ_TIMEOUT).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** This broker's global epoch ({@code GET /api/v3/epoch}); empty when it does not answer within the timeout. */
    OptionalLong epochOf(String address, Duration timeout) {
        try {
            HttpResponse<String> r = direct(address, "GET", "/api/v3/epoch", null, timeout);
            return r.statusCode() == 200 ? OptionalLong.of(Long.parseLong(r.body().strip())) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** This broker's whole store ({@code GET /api/v3/metadata}). */
    MetaStore metadataOf(String address) {
        try {
            return read(direct(address, "GET", "/api/v3/metadata", null, CHANGE_TIMEOUT), MetaStore.class);
        } catch (IOException e) {
            throw new Unavailable("GET /api/v3/metadata on " + address + ": " + e, e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, false);
    }

    private HttpResponse<String> send(String method, String path, String body, boolean change) {
        if (addresses.size() == 1) {
            try {
                return lc.http(method, path, body);
            } catch (UncheckedIOException e) {
                throw new Unavailable(method + " " + path + ": " + e.getCause(), e, change && maybeSent(e.getCause()));
            }
        }
        IOException last = null;
        int first = preferred;
        long now = clock.now();
        // the one that answered last, then the others in order; those skipped after a failure come last
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < addresses.size(); k++) {
                int i = (first + k) % addresses.size();
                boolean skipped = skipUntil[i] > now;
                if (skipped != (pass == 1) || !lc.brokers().get(i).isAlive()) {
                    continue;
                }
                try {
                    HttpResponse<String> r = direct(addresses.get(i), method, path, body, change ? CHANGE_TIMEOUT : READ_TIMEOUT);
                    preferred = i;
                    return r;
                } catch (IOException e) {
                    skipUntil[i] = clock.now() + SKIP_MILLIS;
                    last = e;
                    if (change && maybeSent(e)) {
                        throw new Unavailable(method + " " + path + " on " + addresses.get(i) + ": " + e, e, true);
                    }
                }
            }
        }
        throw new Unavailable(method + " " + path + ": no broker answered" + (last == null ? "" : ": " + last), last);
    }

    /** False only when the request cannot have left (the connection was never made). */
    private static boolean maybeSent(Throwable e) {
        return !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
    }

    private HttpResponse<String> direct(String address, String method, String path, String body, Duration timeout) throws IOException {
        try {
            return http.send(address, method, path, body, timeout);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw new RunClock.ChaosInterrupted(interrupted);
            }
            throw e;
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
