package io.undermoon.broker.store;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.ClusterName;
import io.undermoon.model.broker.ChunkRolePosition;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Creating, growing, configuring, balancing and deleting clusters (spec §4.6, §4.7, §4.12, §4.16-4.18). */
public final class ClusterOperations {
    private ClusterOperations() {}

    /** INVALID_CLUSTER_NAME unless the name is letters, digits, '@', '-', '_', at most 31 bytes. */
    public static void requireValidName(String name) throws BrokerException {
        if (name == null || name.isEmpty() || !ClusterName.isValid(name)) {
            throw new BrokerException(BrokerError.INVALID_CLUSTER_NAME);
        }
    }

    /** The cluster, after the name check: INVALID_CLUSTER_NAME, CLUSTER_NOT_FOUND. */
    public static ClusterStore requireCluster(StoreDraft d, String name) throws BrokerException {
        requireValidName(name);
        ClusterStore c = d.cluster(name);
        if (c == null) {
            throw new BrokerException(BrokerError.CLUSTER_NOT_FOUND);
        }
        return c;
    }

    /**
     * Creates a cluster of {@code nodeNumber} nodes on free proxies, with slots spread evenly and the
     * given config. Errors in check order: ONE_CLUSTER_ALREADY_EXISTED (ordered mode),
     * INVALID_CLUSTER_NAME, ALREADY_EXISTED, INVALID_NODE_NUMBER, then the allocation's.
     */
    public static void createCluster(StoreDraft d, String name, long nodeNumber, ClusterConfig config) throws BrokerException {
        if (d.enableOrderedProxy() && !d.clusters().isEmpty()) {
            throw new BrokerException(BrokerError.ONE_CLUSTER_ALREADY_EXISTED);
        }
        requireValidName(name);
        if (d.cluster(name) != null) {
            throw new BrokerException(BrokerError.ALREADY_EXISTED);
        }
        requireNodeNumber(nodeNumber);
        List<ChunkStore> chunks = SlotAssignment.assign(allocate(d, nodeNumber, 0));
        long epoch = d.bumpGlobalEpoch();
        for (ChunkStore c : chunks) {
            for (String p : c.proxyAddresses()) {
                d.setProxyCluster(p, name);
            }
        }
        d.putCluster(new ClusterStore(epoch, name, config, chunks));
    }

    /** Deletes a cluster and frees its proxies (failed ones stay failed). No migration check. */
    public static void removeCluster(StoreDraft d, String name) throws BrokerException {
        ClusterStore c = requireCluster(d, name);
        d.removeCluster(name);
        for (String p : c.proxyAddresses()) {
            d.setProxyCluster(p, null);
        }
        d.bumpGlobalEpoch();
    }

    /**
     * Appends {@code num} nodes as chunks without slots (PATCH). Errors after the name and cluster
     * checks: MIGRATION_RUNNING, INVALID_NODE_NUMBER, then the allocation's.
     *
     * @return the cluster's node count before the call (the new nodes follow it in the view)
     */
    public static int addNodes(StoreDraft d, String name, long num) throws BrokerException {
        ClusterStore c = requireCluster(d, name);
        if (c.isMigrating()) {
            throw new BrokerException(BrokerError.MIGRATION_RUNNING);
        }
        requireNodeNumber(num);
        if ((c.chunks().size() + num / ChunkStore.NODES) * ChunkStore.PARTS > SlotAssignment.MAX_MASTERS) {
            throw new BrokerException(BrokerError.INVALID_NODE_NUMBER, "more masters than slots");
        }
        List<ChunkStore> added = allocate(d, num, c.chunks().size() * (long) ChunkStore.PARTS);
        long epoch = d.bumpGlobalEpoch();
        List<ChunkStore> chunks = new ArrayList<>(c.chunks());
        chunks.addAll(added);
        for (ChunkStore chunk : added) {
            for (String p : chunk.proxyAddresses()) {
                d.setProxyCluster(p, name);
            }
        }
        d.putCluster(c.withChunks(chunks).withEpoch(epoch));
        return c.nodeNumber();
    }

    /**
     * Grows the cluster to {@code total} nodes (PUT): NODE_NUM_ALREADY_ENOUGH when it already has
     * that many (chunks without slots count), otherwise as {@link #addNodes}.
     */
    public static int scaleNodesTo(StoreDraft d, String name, long total) throws BrokerException {
        ClusterStore c = requireCluster(d, name);
        long added = total - c.nodeNumber();
        if (added <= 0) {
            throw new BrokerException(BrokerError.NODE_NUM_ALREADY_ENOUGH);
        }
        return addNodes(d, name, added);
    }

    /**
     * Removes the chunks that own no slots and take part in no migration, freeing their proxies:
     * MIGRATION_RUNNING, FREE_NODE_NOT_FOUND.
     */
    public static void deleteFreeNodes(StoreDraft d, String name) throws BrokerException {
        ClusterStore c = requireCluster(d, name);
        if (c.isMigrating()) {
            throw new BrokerException(BrokerError.MIGRATION_RUNNING);
        }
        List<ChunkStore> kept = new ArrayList<>();
        List<ChunkStore> removed = new ArrayList<>();
        for (ChunkStore chunk : c.chunks()) {
            (chunk.hasNoStableSlots() && !chunk.isMigrating() ? removed : kept).add(chunk);
        }
        if (removed.isEmpty()) {
            throw new BrokerException(BrokerError.FREE_NODE_NOT_FOUND);
        }
        long epoch = d.bumpGlobalEpoch();
        d.putCluster(c.withChunks(kept).withEpoch(epoch));
        for (ChunkStore chunk : removed) {
            for (String p : chunk.proxyAddresses()) {
                d.setProxyCluster(p, null);
            }
        }
    }

    /**
     * {@code base} with flat config fields applied in the given order; the first bad one is an
     * INVALID_CONFIG error (its key, value and reason in the details; a password is not echoed).
     */
    public static ClusterConfig applyConfigFields(ClusterConfig base, Map<String, String> fields) throws BrokerException {
        ClusterConfig config = base;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            try {
                config = config.withField(e.getKey(), e.getValue());
            } catch (ClusterConfig.InvalidFieldException ex) {
                String shown = e.getKey().equalsIgnoreCase("password") ? "<hidden>" : e.getValue();
                throw new BrokerException(BrokerError.INVALID_CONFIG,
                        Map.of("key", e.getKey(), "value", shown, "message", ex.error().name()), ex.getMessage());
            }
        }
        return config;
    }

    /**
     * Applies flat config fields in the given order; the first bad one fails the whole change with
     * INVALID_CONFIG (its key, value and reason in the details) and nothing is applied.
     */
    public static void changeConfig(StoreDraft d, String name, Map<String, String> fields) throws BrokerException {
        ClusterStore c = requireCluster(d, name);
        if (c.isMigrating()) {
            throw new BrokerException(BrokerError.MIGRATION_RUNNING);
        }
        ClusterConfig config = applyConfigFields(c.config(), fields);
        long epoch = d.bumpGlobalEpoch();
        d.putCluster(c.withConfig(config).withEpoch(epoch));
    }

    /**
     * Restores Normal roles in every chunk none of whose proxies is failed or reported; always a new
     * cluster epoch, even if nothing changed. No migration check.
     */
    public static void balanceMasters(StoreDraft d, String name) throws BrokerException {
        ClusterStore c = requireCluster(d, name);
        List<ChunkStore> chunks = new ArrayList<>(c.chunks().size());
        for (ChunkStore chunk : c.chunks()) {
            boolean healthy = true;
            for (String p : chunk.proxyAddresses()) {
                healthy &= !d.isFailed(p) && !d.hasFailures(p);
            }
            chunks.add(healthy && replicasReady(chunk) ? chunk.withRolePosition(ChunkRolePosition.Normal) : chunk);
        }
        long epoch = d.bumpGlobalEpoch();
        d.putCluster(c.withChunks(chunks).withEpoch(epoch));
    }

    /**
     * True when making the chunk Normal promotes no replica that has not completed a sync of a master
     * holding data (ours): such a chunk keeps its roles until its replica has synced, or balancing
     * would make the empty node the master and its old master, now its replica, would copy the
     * emptiness.
     */
    static boolean replicasReady(ChunkStore chunk) {
        for (int part = 0; part < ChunkStore.PARTS; part++) {
            boolean masterMoves = ChunkStore.masterNodeIndex(ChunkRolePosition.Normal, part)
                    != ChunkStore.masterNodeIndex(chunk.rolePosition(), part);
            if (masterMoves && chunk.holdsData(part) && !chunk.replicaSynced(part)) {
                return false;
            }
        }
        return true;
    }

    static void requireNodeNumber(long n) throws BrokerException {
        if (n == 0 || n % ChunkStore.NODES != 0) {
            throw new BrokerException(BrokerError.INVALID_NODE_NUMBER, "the node number must be a positive multiple of 4");
        }
        if (n / ChunkStore.NODES_PER_PROXY > SlotAssignment.MAX_MASTERS) {
            throw new BrokerException(BrokerError.INVALID_NODE_NUMBER, "more masters than slots");
        }
    }

    private static List<ChunkStore> allocate(StoreDraft d, long nodeNumber, long firstIndex) throws BrokerException {
        long proxyNum = nodeNumber / ChunkStore.NODES_PER_PROXY;
        return d.enableOrderedProxy()
                ? OrderedChunkAllocator.allocate(d, proxyNum, firstIndex)
                : ChunkAllocator.allocate(d, proxyNum);
    }
}
