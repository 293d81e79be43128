package io.undermoon.coordinator.broker;

import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplicaSyncResult;
import io.undermoon.model.broker.ReplicaSyncState;
import java.util.List;
import java.util.Optional;

/**
 * What the coordinator asks of the broker: the coordinator-facing part of the HTTP API (spec §6.2).
 * Every call is bounded by a timeout; a failure is a {@link BrokerCallException}, never a hang.
 */
public interface BrokerClient extends AutoCloseable {

    /** Every cluster name, page by page ({@code GET /clusters/names?offset=&limit=100}). */
    Listing clusterNames();

    /** {@code GET /clusters/meta/<name>}; empty when the broker answers {@code {"cluster": null}}. */
    Optional<ClusterView> cluster(String name) throws BrokerCallException;

    /** Every registered proxy, failed ones included ({@code GET /proxies/addresses?offset=&limit=100}). */
    Listing proxyAddresses();

    /** {@code GET /proxies/meta/<address>}; empty when the broker answers {@code {"proxy": null}}. */
    Optional<ProxyView> proxy(String address) throws BrokerCallException;

    /** {@code POST /failures/<proxy>/<reporter_id>}; any status but 2xx is an error. */
    void reportFailure(String proxyAddress, String reporterId) throws BrokerCallException;

    /** {@code GET /failures}: proxies reported by at least the quorum within the TTL. */
    List<String> failures() throws BrokerCallException;

    /** Ours: {@code GET /epoch}: the global epoch, which every metadata change raises. */
    long globalEpoch() throws BrokerCallException;

    /** {@code GET /proxies/failed/addresses}. */
    List<String> failedProxies() throws BrokerCallException;

    /**
     * {@code POST /proxies/failover/<address>}: the replacement proxy, or empty when there is none
     * (a free proxy was failed, or ordered mode). 409 REPLICA_NOT_SYNCED (nothing changed) is
     * {@link BrokerCallException.Kind#REFUSED}, any other 409 {@link BrokerCallException.Kind#RETRY}.
     */
    Optional<ProxyView> failover(String proxyAddress) throws BrokerCallException;

    /**
     * Ours: {@code POST /replicas/sync_state}: which replicas have (or have not) completed a sync of
     * their master. The broker ignores entries that are not a current (master, replica) pair.
     */
    ReplicaSyncResult reportReplicaSync(List<ReplicaSyncState> states) throws BrokerCallException;

    /**
     * {@code PUT /clusters/migrations}: commits a finished migration task. 2xx and 404 (already
     * committed) are success; 409 is {@link BrokerCallException.Kind#RETRY}.
     */
    void commitMigration(MigrationTaskMeta task) throws BrokerCallException;

    @Override
    void close();
}
