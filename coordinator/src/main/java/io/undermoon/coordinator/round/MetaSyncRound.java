package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.broker.Listing;
import io.undermoon.coordinator.loop.Batches;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.proxy.MetaPusher;
import io.undermoon.coordinator.proxy.ProxyClient;
import io.undermoon.coordinator.proxy.ProxyCommandException;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.ProxyView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

/**
 * The proxy metadata sync loop's round (spec §6.4): fetch the clusters (10 at a time), order the
 * proxies with {@link ProxyOrder}, then for each proxy, 10 at a time and batch after batch, fetch
 * its view from the broker and push SETREPL then SETCLUSTER. A proxy the broker answers null for is
 * skipped. Listing errors are problems of the round; it still syncs the proxies it could list.
 */
public final class MetaSyncRound implements Round {
    static final int BATCH = 10;

    private final BrokerClient broker;
    private final ProxyClient proxies;
    private final MetaPusher pusher;
    private final ExecutorService executor;

    public MetaSyncRound(BrokerClient broker, ProxyClient proxies, boolean compress, ExecutorService executor) {
        this.broker = broker;
        this.proxies = proxies;
        this.pusher = new MetaPusher(proxies, compress);
        this.executor = executor;
    }

    @Override
    public List<RoundError> run() throws InterruptedException {
        List<RoundError> errors = Collections.synchronizedList(new ArrayList<>());
        List<String> order = orderedProxies(errors);
        proxies.retainOnly(order);
        errors.addAll(Batches.run(executor, order, BATCH, this::sync));
        return new ArrayList<>(errors);
    }

    /** The proxies in sync order, adding listing problems to {@code errors}. */
    List<String> orderedProxies(List<RoundError> errors) throws InterruptedException {
        Listing names = broker.clusterNames();
        names.error().ifPresent(e -> errors.add(new RoundError("cluster listing", "listing the clusters: " + e.getMessage())));
        Map<Integer, ClusterView> fetched = new TreeMap<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < names.items().size(); i++) {
            indexes.add(i);
        }
        errors.addAll(Batches.run(executor, indexes, BATCH, i -> {
            String name = names.items().get(i);
            try {
                Optional<ClusterView> c = broker.cluster(name);
                c.ifPresent(view -> {
                    synchronized (fetched) {
                        fetched.put(i, view);
                    }
                });
                return List.of();
            } catch (BrokerCallException e) {
                return List.of(new RoundError("cluster " + name, "fetching cluster " + name + ": " + e.getMessage()));
            }
        }));
        List<ClusterView> clusters;
        synchronized (fetched) {
            clusters = new ArrayList<>(fetched.values());
        }
        Listing all = broker.proxyAddresses();
        all.error().ifPresent(e -> errors.add(new RoundError(ProxyTargets.LISTING_KEY, "listing the proxies: " + e.getMessage())));
        Set<String> failed;
        try {
            failed = new HashSet<>(broker.failedProxies());
        } catch (BrokerCallException e) {
            errors.add(new RoundError("failed listing", "listing the failed proxies: " + e.getMessage()));
            failed = Set.of();
        }
        return ProxyOrder.order(clusters, all.items(), failed);
    }

    /**
     * Ours: pushes the metadata of one cluster to its proxies that are not failed, in the order of
     * {@link ProxyOrder}, 10 at a time. The failover loop calls it right after a failover, so the
     * survivor and the replacement get their new roles without waiting for this loop, whose round
     * may be waiting for the very proxy that failed.
     */
    public List<RoundError> syncCluster(String name) throws InterruptedException {
        Optional<ClusterView> cluster;
        Set<String> failed;
        try {
            cluster = broker.cluster(name);
            failed = new HashSet<>(broker.failedProxies());
        } catch (BrokerCallException e) {
            return List.of(new RoundError("cluster " + name, "fetching cluster " + name + " after a failover: " + e.getMessage()));
        }
        if (cluster.isEmpty()) {
            return List.of();
        }
        List<String> order = new ArrayList<>(ProxyOrder.order(List.of(cluster.get()), List.of(), failed));
        order.removeAll(failed);
        return Batches.run(executor, order, BATCH, this::sync);
    }

    private List<RoundError> sync(String address) {
        Optional<ProxyView> view;
        try {
            view = broker.proxy(address);
        } catch (BrokerCallException e) {
            return List.of(new RoundError(address, "fetching the metadata of proxy " + address + ": " + e.getMessage()));
        }
        if (view.isEmpty()) {
            return List.of();
        }
        try {
            pusher.push(view.get());
            return List.of();
        } catch (ProxyCommandException e) {
            return List.of(new RoundError(address, e.getMessage()));
        }
    }
}
