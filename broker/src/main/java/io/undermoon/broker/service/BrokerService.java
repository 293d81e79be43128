package io.undermoon.broker.service;

import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.broker.store.AutoScale;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.ClusterOperations;
import io.undermoon.broker.store.EpochOperations;
import io.undermoon.broker.store.Failover;
import io.undermoon.broker.store.MigrationOperations;
import io.undermoon.broker.store.ProxyOperations;
import io.undermoon.broker.store.ReplicaSyncOperations;
import io.undermoon.broker.store.ResourceCheck;
import io.undermoon.broker.view.ClusterViews;
import io.undermoon.model.ClusterName;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.ClusterResponse;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.ProxyResource;
import io.undermoon.model.broker.ProxyResponse;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.RefusedFailover;
import io.undermoon.model.broker.ReplicaSyncResult;
import io.undermoon.model.broker.ReplicaSyncState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every broker endpoint does, independent of HTTP: reads from the published store, mutations
 * through {@link MetaStorage}, the scale lock, the auto-scale wait and epoch recovery.
 */
public final class BrokerService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BrokerService.class);
    /** The undermoon version this broker is compatible with, served by {@code GET /version}. */
    public static final String VERSION = "0.6.2";

    private final BrokerConfig config;
    private final MetaStorage storage;
    private final ProxyEpochReader epochReader;
    private final Clock clock;
    private final boolean purgeFailuresOnRead;
    private final ReentrantLock scaleLock = new ReentrantLock();
    private final AtomicReference<List<String>> replicaAddresses;
    private final ViewCache clusterViews = new ViewCache();
    private final ViewCache proxyViews = new ViewCache();
    /** Proxies whose failover was refused and logged (the coordinators retry every round; logged once). */
    private final java.util.Set<String> refusedFailovers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public BrokerService(BrokerConfig config, MetaStorage storage, ProxyEpochReader epochReader, Clock clock,
                         boolean purgeFailuresOnRead) {
        this.config = config;
        this.storage = storage;
        this.epochReader = epochReader;
        this.clock = clock;
        this.purgeFailuresOnRead = purgeFailuresOnRead;
        this.replicaAddresses = new AtomicReference<>(config.replicaAddresses());
    }

    public MetaStore metadata() {
        return storage.snapshot();
    }

    private long limit() {
        return config.migrationLimit();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    // ---- metadata and epochs

    /** Replaces the store (replica sync). INVALID_METADATA if a map key disagrees with its record. */
    public void putMetadata(MetaStore incoming) throws BrokerException {
        if (!MetaStore.VERSION.equals(incoming.version())) {
            throw new BrokerException(BrokerError.INVALID_META_VERSION);
        }
        if (incoming.globalEpoch() > EpochOperations.MAX_EPOCH || incoming.globalEpoch() < 0) {
            throw new BrokerException(BrokerError.INVALID_METADATA, "global_epoch " + incoming.globalEpoch()
                    + " is outside 0.." + EpochOperations.MAX_EPOCH);
        }
        for (Map.Entry<String, ClusterStore> e : incoming.clusters().entrySet()) {
            if (!e.getKey().equals(e.getValue().name())) {
                throw new BrokerException(BrokerError.INVALID_METADATA, "cluster key " + e.getKey() + " holds " + e.getValue().name());
            }
        }
        for (Map.Entry<String, ProxyResource> e : incoming.allProxies().entrySet()) {
            if (!e.getKey().equals(e.getValue().proxyAddress())) {
                throw new BrokerException(BrokerError.INVALID_METADATA, "proxy key " + e.getKey() + " holds " + e.getValue().proxyAddress());
            }
        }
        storage.replaceAll(incoming);
    }

    public void forceBumpEpoch(long epoch) throws BrokerException {
        storage.mutate(Mutation.run(d -> EpochOperations.forceBump(d, epoch)));
    }

    /** Asks every registered proxy for its epoch and moves every epoch past the largest; returns those that did not answer. */
    public List<String> recoverEpoch() throws BrokerException {
        ProxyEpochs.Result r = readEpochs(storage.snapshot().allProxies().keySet());
        storage.mutate(Mutation.of(d -> EpochOperations.recover(d, r.maxEpoch())));
        return r.failed();
    }

    public List<String> replicaAddresses() {
        return replicaAddresses.get();
    }

    public void setReplicaAddresses(List<String> addresses) {
        replicaAddresses.set(List.copyOf(addresses));
    }

    public List<String> hostsCannotFail() throws BrokerException {
        return ResourceCheck.hostsCannotFail(storage.snapshot());
    }

    // ---- coordinator-facing reads

    public List<String> clusterNames(long offset, long limit) {
        return page(storage.snapshot().clusters().keySet(), offset, limit);
    }

    public List<String> proxyAddresses(long offset, long limit) {
        return page(storage.snapshot().allProxies().keySet(), offset, limit);
    }

    private static List<String> page(Collection<String> sorted, long offset, long limit) {
        return sorted.stream().skip(offset).limit(limit).toList();
    }

    /** The cluster view, or null (also for an invalid name). */
    public ClusterView clusterMeta(String name) {
        ClusterStore c = ClusterName.isValid(name) ? storage.snapshot().clusters().get(name) : null;
        return c == null ? null : ClusterViews.cluster(c, limit());
    }

    public ProxyView proxyMeta(String address) {
        return ClusterViews.proxy(storage.snapshot(), address, limit());
    }

    /** {@code {"cluster": ...}} as JSON, cached per published store. */
    public byte[] clusterMetaJson(String name) {
        MetaStore s = storage.snapshot();
        if (!ClusterName.isValid(name) || !s.clusters().containsKey(name)) {
            return BrokerJson.write(new ClusterResponse(null));
        }
        return clusterViews.get(s, name, n -> BrokerJson.write(new ClusterResponse(ClusterViews.cluster(s.clusters().get(n), limit()))));
    }

    /** {@code {"proxy": ...}} as JSON, cached per published store. */
    public byte[] proxyMetaJson(String address) {
        MetaStore s = storage.snapshot();
        if (!s.allProxies().containsKey(address)) {
            return BrokerJson.write(new ProxyResponse(null));
        }
        return proxyViews.get(s, address, a -> BrokerJson.write(new ProxyResponse(ClusterViews.proxy(s, a, limit()))));
    }

    public ClusterInfo clusterInfo(String name) throws BrokerException {
        MetaStore s = storage.snapshot();
        ClusterStore c = ClusterName.isValid(name) ? s.clusters().get(name) : null;
        if (c == null) {
            throw new BrokerException(BrokerError.CLUSTER_NOT_FOUND);
        }
        ClusterInfo info = ClusterViews.info(c, limit());
        List<RefusedFailover> refused = new ArrayList<>();
        for (String address : ProxyOperations.failedByQuorum(s, now(), config.failureTtl().toSeconds(), config.failureQuorum())) {
            ProxyResource p = s.allProxies().get(address);
            if (p != null && name.equals(p.cluster())) {
                List<String> unsafe = Failover.unsyncedPromotions(s, address);
                if (!unsafe.isEmpty()) {
                    refused.add(new RefusedFailover(address, Failover.refusal(address, name, unsafe)));
                }
            }
        }
        return refused.isEmpty() ? info : info.withFailoversRefused(refused);
    }

    public List<String> failedProxies() {
        return List.copyOf(storage.snapshot().failedProxies());
    }

    // ---- failures, failover, commit

    public void addFailure(String address, String reporter) throws BrokerException {
        storage.mutate(Mutation.of(d -> ProxyOperations.addFailure(d, address, reporter, now())));
    }

    /** Proxies with a quorum of unexpired reports; expired reports are purged first (memory storage). */
    public List<String> failures() throws BrokerException {
        long now = now();
        long ttl = config.failureTtl().toSeconds();
        MetaStore s = storage.snapshot();
        if (purgeFailuresOnRead && ProxyOperations.hasExpiredFailures(s, now, ttl)) {
            try {
                s = storage.mutate(Mutation.of(d -> ProxyOperations.purgeExpiredFailures(d, now, ttl))).store();
            } catch (BrokerException e) {
                if (e.error() != BrokerError.STORE_UNAVAILABLE) {
                    throw e;
                }
                // etcd without quorum: the read is answered from the last known store (expired reports do not count)
            }
        }
        List<String> failed = ProxyOperations.failedByQuorum(s, now, ttl, config.failureQuorum());
        refusedFailovers.retainAll(failed); // a refusal is logged again if the proxy fails again later
        return failed;
    }

    /**
     * The replacement proxy's view, or null. Refuses (REPLICA_NOT_SYNCED, nothing changed) to promote
     * a replica that has not completed a sync of a master holding data; {@code allowDataLoss} (the
     * operator's {@code failover_losing_data}) promotes it anyway.
     */
    public ProxyView failover(String address, boolean allowDataLoss) throws BrokerException {
        List<String> unsafe = Failover.unsyncedPromotions(storage.snapshot(), address);
        Committed<String> c;
        try {
            c = storage.mutate(d -> Failover.replaceFailedProxy(d, address, allowDataLoss));
        } catch (BrokerException e) {
            if (e.error() == BrokerError.REPLICA_NOT_SYNCED) {
                if (refusedFailovers.add(address)) {
                    LOG.warn("{}", e.getMessage());
                }
            }
            throw e;
        }
        if (refusedFailovers.remove(address) || (allowDataLoss && !unsafe.isEmpty())) {
            LOG.warn("failover of proxy {} done{}", address, allowDataLoss && !unsafe.isEmpty()
                    ? " LOSING DATA at the operator's request: " + String.join("; ", unsafe) : " (its replicas have synced now)");
        }
        return c.value() == null ? null : ClusterViews.proxy(c.store(), c.value(), limit());
    }

    public ProxyView failover(String address) throws BrokerException {
        return failover(address, false);
    }

    /** Records which replicas completed a sync of their master (ours); no epoch change. */
    public ReplicaSyncResult reportReplicaSync(List<ReplicaSyncState> reports) throws BrokerException {
        return storage.mutate(Mutation.of(d -> ReplicaSyncOperations.apply(d, reports))).value();
    }

    public void commitMigration(MigrationTaskMeta task) throws BrokerException {
        ClusterOperations.requireValidName(task.clusterName());
        storage.mutate(Mutation.run(d -> MigrationOperations.commit(d, task)));
    }

    // ---- management

    public void createCluster(String name, long nodeNumber) throws BrokerException {
        createCluster(name, nodeNumber, Map.of());
    }

    /** Creates a cluster whose config is the default with {@code fields} applied (as PATCH config would). */
    public void createCluster(String name, long nodeNumber, Map<String, String> fields) throws BrokerException {
        storage.mutate(Mutation.run(d -> ClusterOperations.createCluster(d, name, nodeNumber,
                ClusterOperations.applyConfigFields(config.defaultClusterConfig(), fields))));
    }

    public void deleteCluster(String name) throws BrokerException {
        storage.mutate(Mutation.run(d -> ClusterOperations.removeCluster(d, name)));
    }

    /** PATCH: adds {@code num} nodes; returns them. */
    public List<NodeView> addNodes(String name, long num) throws BrokerException {
        return withScaleLock(() -> newNodes(name, storage.mutate(Mutation.of(d -> ClusterOperations.addNodes(d, name, num)))));
    }

    /** PUT: grows to {@code total} nodes; returns the new ones. */
    public List<NodeView> scaleNodesTo(String name, long total) throws BrokerException {
        return withScaleLock(() -> newNodes(name, storage.mutate(Mutation.of(d -> ClusterOperations.scaleNodesTo(d, name, total)))));
    }

    private List<NodeView> newNodes(String name, Committed<Integer> c) {
        List<NodeView> all = ClusterViews.cluster(c.store().clusters().get(name), limit()).nodes();
        return new ArrayList<>(all.subList(c.value(), all.size()));
    }

    public void deleteFreeNodes(String name) throws BrokerException {
        withScaleLock(() -> storage.mutate(Mutation.run(d -> ClusterOperations.deleteFreeNodes(d, name))));
    }

    public void expand(String name) throws BrokerException {
        withScaleLock(() -> storage.mutate(Mutation.run(d -> MigrationOperations.expand(d, name))));
    }

    public void shrink(String name, long newNodeNumber) throws BrokerException {
        withScaleLock(() -> storage.mutate(Mutation.run(d -> MigrationOperations.shrink(d, name, newNodeNumber))));
    }

    /**
     * Scales to {@code n} nodes. On a scale-out, waits (holding the scale lock) until every proxy of
     * the cluster reports the new epoch, then plans the expand. The wait polls after 20 ms, then
     * doubles its pause up to {@code auto_scale_poll_interval_ms} (the coordinator usually pushes
     * the new epoch within one of its sync rounds, so a fixed 1-s poll made every auto-scale call
     * last a second more than needed); it fails with PROXY_NOT_SYNC after
     * {@code auto_scale_max_failed_attempts} polls with an unreachable proxy, or once
     * {@code auto_scale_timeout} has passed (the reference can wait forever).
     */
    public void autoScale(String name, long n) throws BrokerException {
        withScaleLock(() -> {
            AutoScale.Prepared p = storage.mutate(Mutation.of(d -> AutoScale.prepare(d, name, n))).value();
            if (p.kind() == AutoScale.Kind.SCALE_OUT) {
                waitForProxies(p.proxyAddresses(), p.clusterEpoch());
                storage.mutate(Mutation.run(d -> AutoScale.finishScaleOut(d, name, n)));
            }
            return null;
        });
    }

    private static final long FIRST_AUTO_SCALE_POLL_MILLIS = 20;

    private void waitForProxies(List<String> proxies, long epoch) throws BrokerException {
        long deadline = System.nanoTime() + config.autoScaleTimeout().toNanos();
        int failedAttempts = 0;
        long pauseMillis = Math.min(FIRST_AUTO_SCALE_POLL_MILLIS, config.autoScalePollInterval().toMillis());
        while (true) {
            ProxyEpochs.Result r = readEpochs(proxies);
            if (!r.failed().isEmpty()) {
                failedAttempts++;
                if (failedAttempts >= config.autoScaleMaxFailedAttempts()) {
                    throw new BrokerException(BrokerError.PROXY_NOT_SYNC, "proxies did not answer: " + r.failed());
                }
            } else if (r.minEpoch() >= epoch) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new BrokerException(BrokerError.PROXY_NOT_SYNC, "proxies did not reach epoch " + epoch + " in time");
            }
            try {
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(pauseMillis * 2, config.autoScalePollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException(BrokerError.PROXY_NOT_SYNC, "interrupted");
            }
        }
    }

    public void changeConfig(String name, Map<String, String> fields) throws BrokerException {
        storage.mutate(Mutation.run(d -> ClusterOperations.changeConfig(d, name, fields)));
    }

    public void balance(String name) throws BrokerException {
        storage.mutate(Mutation.run(d -> ClusterOperations.balanceMasters(d, name)));
    }

    public void addProxy(AddProxyRequest request) throws BrokerException {
        storage.mutate(d -> ProxyOperations.addProxy(d, request));
    }

    public void removeProxy(String address) throws BrokerException {
        storage.mutate(Mutation.run(d -> ProxyOperations.removeProxy(d, address)));
    }

    // ---- helpers

    private ProxyEpochs.Result readEpochs(Collection<String> proxies) throws BrokerException {
        try {
            return ProxyEpochs.read(epochReader, proxies);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(BrokerError.PROXY_NOT_SYNC, "interrupted");
        }
    }

    @FunctionalInterface
    private interface Locked<T> {
        T run() throws BrokerException;
    }

    /** The scale lock is a try-lock: a second scaling call fails at once with NODE_NUMBER_CHANGING. */
    private <T> T withScaleLock(Locked<T> body) throws BrokerException {
        if (!scaleLock.tryLock()) {
            throw new BrokerException(BrokerError.NODE_NUMBER_CHANGING);
        }
        try {
            return body.run();
        } finally {
            scaleLock.unlock();
        }
    }
}
