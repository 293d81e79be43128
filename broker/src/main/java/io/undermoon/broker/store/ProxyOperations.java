package io.undermoon.broker.store;

import io.undermoon.model.Addresses;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Registering and removing proxies, and failure reports (spec §4.1, §4.14, §4.18). */
public final class ProxyOperations {
    private ProxyOperations() {}

    /**
     * Registers a proxy. On a known address the stored resource is left as it is, but its failed
     * state and failure reports are cleared (that is how an operator brings a failed proxy back),
     * and the answer is {@code ALREADY_EXISTED}, a deliberate "failed after change" when something
     * was cleared. The global epoch goes up if the proxy is new or anything was cleared.
     */
    public static Outcome<Void> addProxy(StoreDraft d, AddProxyRequest req) throws BrokerException {
        String address = req.proxyAddress();
        if (!isValidProxyAddress(address)) {
            throw new BrokerException(BrokerError.INVALID_PROXY_ADDRESS, "expected host:port, got '" + address + "'");
        }
        for (String node : req.nodes()) {
            if (Addresses.parse(node).isEmpty() || Addresses.parse(node).get().host().isEmpty()) {
                throw new BrokerException(BrokerError.INVALID_NODE_ADDRESS, "expected host:port, got '" + node + "'");
            }
        }
        if (req.nodes().get(0).equals(req.nodes().get(1))) {
            throw new BrokerException(BrokerError.INVALID_NODE_ADDRESS, "the two nodes must differ");
        }
        long index = 0;
        if (d.enableOrderedProxy()) {
            if (req.index() == null) {
                throw new BrokerException(BrokerError.MISSING_SERVER_PROXY_INDEX);
            }
            index = req.index();
        }
        String host = req.host() != null ? req.host() : address.substring(0, address.indexOf(':'));
        boolean isNew = d.proxy(address) == null;
        if (isNew) {
            d.putProxy(new ProxyResource(address, req.nodes(), host, index, null));
        }
        boolean cleared = d.removeFailed(address);
        cleared |= d.removeFailures(address);
        if (isNew || cleared) {
            d.bumpGlobalEpoch();
        }
        if (isNew) {
            return Outcome.done();
        }
        if (cleared) {
            return Outcome.failedAfterChange(BrokerError.ALREADY_EXISTED);
        }
        throw new BrokerException(BrokerError.ALREADY_EXISTED);
    }

    /**
     * The reference's rule (exactly one ':'), plus: a non-empty host and a port that is a number in
     * 1..65535.
     */
    static boolean isValidProxyAddress(String address) {
        int i = address.indexOf(':');
        if (i <= 0 || i != address.lastIndexOf(':') || i == address.length() - 1) {
            return false;
        }
        String port = address.substring(i + 1);
        if (port.length() > 5) {
            return false;
        }
        for (int k = 0; k < port.length(); k++) {
            if (port.charAt(k) < '0' || port.charAt(k) > '9') {
                return false;
            }
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    /** Removes an unused proxy: PROXY_NOT_FOUND, IN_USE. */
    public static void removeProxy(StoreDraft d, String address) throws BrokerException {
        ProxyResource p = d.proxy(address);
        if (p == null) {
            throw new BrokerException(BrokerError.PROXY_NOT_FOUND);
        }
        if (p.cluster() != null) {
            throw new BrokerException(BrokerError.IN_USE, "the proxy belongs to cluster " + p.cluster());
        }
        d.removeProxy(address);
        d.removeFailed(address);
        d.removeFailures(address);
        d.bumpGlobalEpoch();
    }

    /**
     * Records that {@code reporter} cannot reach {@code address} (not validated, as in the
     * reference). A repeated report changes nothing, not even its timestamp.
     *
     * @return true if the report was new
     */
    public static boolean addFailure(StoreDraft d, String address, String reporter, long nowSeconds) {
        if (!d.addFailure(address, reporter, nowSeconds)) {
            return false;
        }
        d.bumpGlobalEpoch();
        return true;
    }

    /** Removes reports at least {@code ttlSeconds} old and addresses left without reports. No epoch change. */
    public static boolean purgeExpiredFailures(StoreDraft d, long nowSeconds, long ttlSeconds) {
        boolean purged = false;
        for (Map.Entry<String, SortedMap<String, Long>> e : new ArrayList<>(d.failures().entrySet())) {
            SortedMap<String, Long> kept = new TreeMap<>();
            e.getValue().forEach((reporter, t) -> {
                if (!isExpired(t, nowSeconds, ttlSeconds)) {
                    kept.put(reporter, t);
                }
            });
            if (kept.size() != e.getValue().size()) {
                d.setFailures(e.getKey(), kept);
                purged = true;
            }
        }
        return purged;
    }

    /** True if any report in the store is expired. */
    public static boolean hasExpiredFailures(MetaStore s, long nowSeconds, long ttlSeconds) {
        for (SortedMap<String, Long> reports : s.failures().values()) {
            for (long t : reports.values()) {
                if (isExpired(t, nowSeconds, ttlSeconds)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The registered proxies with at least {@code quorum} unexpired reports, sorted. */
    public static List<String> failedByQuorum(MetaStore s, long nowSeconds, long ttlSeconds, long quorum) {
        List<String> out = new ArrayList<>();
        s.failures().forEach((address, reports) -> {
            long valid = reports.values().stream().filter(t -> !isExpired(t, nowSeconds, ttlSeconds)).count();
            if (valid > 0 && valid >= quorum && s.allProxies().containsKey(address)) {
                out.add(address);
            }
        });
        return out;
    }

    private static boolean isExpired(long reportedAt, long now, long ttl) {
        return now - reportedAt >= ttl;
    }
}
