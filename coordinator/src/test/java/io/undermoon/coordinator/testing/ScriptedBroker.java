package io.undermoon.coordinator.testing;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.broker.Listing;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplicaSyncResult;
import io.undermoon.model.broker.ReplicaSyncState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link BrokerClient} for unit tests of the loops: answers from the maps below and records the
 * calls that change something, in order. The HTTP client itself is tested against the real broker.
 */
public final class ScriptedBroker implements BrokerClient {
    public final Map<String, ClusterView> clusters = new LinkedHashMap<>();
    public final Map<String, ProxyView> proxies = new LinkedHashMap<>();
    /** Registered proxies that have no view (the broker answers null for them). */
    public final List<String> proxiesWithoutView = new ArrayList<>();
    public final List<String> failed = new ArrayList<>();
    public final List<String> failures = new ArrayList<>();
    public BrokerCallException listingError;
    public BrokerCallException failedListError;
    public BrokerCallException reportError;
    public BrokerCallException failoverError;
    /** Answer to a commit; null means success. */
    public BrokerCallException commitError;
    public volatile long epoch;
    public volatile BrokerCallException epochError;
    /** Replacement returned by a failover, by failed address. */
    public final Map<String, ProxyView> replacements = new LinkedHashMap<>();

    private final List<String> calls = new ArrayList<>();

    private synchronized void record(String call) {
        calls.add(call);
    }

    /** "report <proxy> <reporter>", "failover <proxy>", "commit <task json-ish>", "proxy <address>", in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public Listing clusterNames() {
        List<String> names = new ArrayList<>(clusters.keySet());
        return listingError == null ? Listing.complete(names) : Listing.partial(names, listingError);
    }

    @Override
    public Optional<ClusterView> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    @Override
    public Listing proxyAddresses() {
        List<String> all = new ArrayList<>(proxies.keySet());
        all.addAll(proxiesWithoutView);
        return listingError == null ? Listing.complete(all) : Listing.partial(all, listingError);
    }

    @Override
    public Optional<ProxyView> proxy(String address) {
        record("proxy " + address);
        return Optional.ofNullable(proxies.get(address));
    }

    @Override
    public void reportFailure(String proxyAddress, String reporterId) throws BrokerCallException {
        record("report " + proxyAddress + " " + reporterId);
        if (reportError != null) {
            throw reportError;
        }
    }

    @Override
    public long globalEpoch() throws BrokerCallException {
        record("epoch");
        if (epochError != null) {
            throw epochError;
        }
        return epoch;
    }

    @Override
    public List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public List<String> failedProxies() throws BrokerCallException {
        if (failedListError != null) {
            throw failedListError;
        }
        return List.copyOf(failed);
    }

    @Override
    public Optional<ProxyView> failover(String proxyAddress) throws BrokerCallException {
        record("failover " + proxyAddress);
        if (failoverError != null) {
            throw failoverError;
        }
        return Optional.ofNullable(replacements.get(proxyAddress));
    }

    @Override
    public void commitMigration(MigrationTaskMeta task) throws BrokerCallException {
        record("commit " + task.clusterName() + " " + task.slotRange());
        if (commitError != null) {
            throw commitError;
        }
    }

    /** Answer to a replica state report; null means success. */
    public BrokerCallException replicaSyncError;
    /** Every replica state report, in order. */
    public final List<List<ReplicaSyncState>> replicaSyncReports = new ArrayList<>();

    @Override
    public synchronized ReplicaSyncResult reportReplicaSync(List<ReplicaSyncState> states) throws BrokerCallException {
        record("replica sync " + states.size());
        if (replicaSyncError != null) {
            throw replicaSyncError;
        }
        replicaSyncReports.add(List.copyOf(states));
        return new ReplicaSyncResult(states.stream().map(ReplicaSyncState::replica).toList(), List.of());
    }

    @Override
    public void close() {
    }
}
