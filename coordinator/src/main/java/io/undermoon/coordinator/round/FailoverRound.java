package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.loop.Batches;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.model.broker.ProxyView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure handling loop's round (spec §6.7): {@code GET /failures} (the broker's list of proxies
 * reported by a quorum within the TTL), then {@code POST /proxies/failover/<proxy>} for each, 10 at
 * a time. After a failover, the new metadata goes to the proxies of the failed proxy's cluster at
 * once from this round ({@code clusterSync}, ours: the metadata sync loop may be in the middle of a
 * round that waits for the hung proxy), and {@code onFailover} wakes the sync loop for everyone else.
 *
 * <p>Ours: a failover the broker refuses because it would promote a replica that has not synced
 * (409 REPLICA_NOT_SYNCED) changed nothing in the broker: it is a problem of the round with the
 * broker's reason (logged once while it lasts), the sync loop is not woken, and {@code onRefusal}
 * runs (the coordinator asks the replica state loop for a full report, so a sync that completed
 * after the last report counts at the next attempt). The proxy stays in the broker's failure list,
 * so the failover is tried again every round, at the cost of one request and no epoch change.
 */
public final class FailoverRound implements Round {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRound.class);
    static final int BATCH = 10;

    /** Pushes the metadata of one cluster to its proxies that are not failed. */
    @FunctionalInterface
    public interface ClusterSync {
        List<RoundError> syncCluster(String clusterName) throws InterruptedException;
    }

    private final BrokerClient broker;
    private final ExecutorService executor;
    private final Runnable onFailover;
    private final ClusterSync clusterSync;
    private final Runnable onRefusal;

    public FailoverRound(BrokerClient broker, ExecutorService executor, Runnable onFailover) {
        this(broker, executor, onFailover, name -> List.of(), () -> { });
    }

    public FailoverRound(BrokerClient broker, ExecutorService executor, Runnable onFailover, ClusterSync clusterSync,
            Runnable onRefusal) {
        this.broker = broker;
        this.executor = executor;
        this.onFailover = onFailover;
        this.clusterSync = clusterSync;
        this.onRefusal = onRefusal;
    }

    @Override
    public List<RoundError> run() throws InterruptedException {
        List<String> failures;
        try {
            failures = broker.failures();
        } catch (BrokerCallException e) {
            return List.of(new RoundError("failures", "listing the failed proxies: " + e.getMessage()));
        }
        AtomicBoolean changed = new AtomicBoolean();
        AtomicBoolean refused = new AtomicBoolean();
        Set<String> changedClusters = new TreeSet<>();
        List<RoundError> errors = new ArrayList<>(Batches.run(executor, failures, BATCH, address -> {
            String cluster = clusterOf(address);
            try {
                Optional<ProxyView> replacement = broker.failover(address);
                changed.set(true);
                addCluster(changedClusters, cluster);
                if (replacement.isPresent()) {
                    LOG.info("failed over proxy {}: replaced by {} (cluster {}, epoch {})", address,
                            replacement.get().address(), replacement.get().clusterName(), replacement.get().epoch());
                } else {
                    LOG.info("failover of proxy {} done without a replacement (it was free, or ordered mode)", address);
                }
                return List.of();
            } catch (BrokerCallException e) {
                if (e.kind() == BrokerCallException.Kind.REFUSED) {
                    refused.set(true);
                    return List.of(new RoundError(address, e.getMessage()));
                }
                // a 409 (e.g. NO_AVAILABLE_RESOURCE) still swapped the roles in the broker
                if (e.kind() == BrokerCallException.Kind.RETRY) {
                    changed.set(true);
                    addCluster(changedClusters, cluster);
                }
                return List.of(new RoundError(address, "failover of proxy " + address + ": " + e.getMessage()));
            }
        }));
        if (refused.get()) {
            onRefusal.run();
        }
        if (changed.get()) {
            List<String> clusters;
            synchronized (changedClusters) {
                clusters = List.copyOf(changedClusters);
            }
            for (String c : clusters) {
                errors.addAll(clusterSync.syncCluster(c));
            }
            onFailover.run();
        }
        return errors;
    }

    /** The cluster of the proxy before its failover, or null (free, unknown, or the broker did not answer). */
    private String clusterOf(String address) {
        try {
            return broker.proxy(address).map(ProxyView::clusterName).orElse(null);
        } catch (BrokerCallException e) {
            return null; // the sync loop, woken after the failover, still pushes everything
        }
    }

    private static void addCluster(Set<String> clusters, String cluster) {
        if (cluster != null && !cluster.isEmpty()) {
            synchronized (clusters) {
                clusters.add(cluster);
            }
        }
    }
}
