package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkRolePosition;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationMetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Replacing a failed proxy (spec §4.15). A proxy in a cluster is first taken over by its chunk
 * partner (both masters move to the survivor), then replaced by a free proxy on the host least
 * linked to the failed one; the newcomer's nodes are replicas until the cluster is balanced.
 *
 * <p>Deliberate partial effect (kept from the reference, which coordinators rely on): when there is
 * no free proxy, the takeover and the failed mark stay, and the call answers NO_AVAILABLE_RESOURCE;
 * the cluster keeps running with the survivor holding both masters.
 *
 * <p>Ours: a takeover never promotes, on its own, a replica that has not completed a sync of its
 * master ({@link ChunkStore#replicaSynced}) when that master holds data: Redis would make the empty
 * replica the only copy and its old master's data would be gone. Such a failover is refused with
 * REPLICA_NOT_SYNCED and changes nothing (no epoch bump, no failed mark): the master's slots stay
 * unavailable until the proxy is back, or until an operator accepts the loss with
 * {@code POST /api/v3/proxies/failover_losing_data/<address>} ({@code allowDataLoss}).
 */
public final class Failover {
    private Failover() {}

    /** Fails a proxy over; refuses to promote a replica that has not synced (see the class comment). */
    public static Outcome<String> replaceFailedProxy(StoreDraft d, String address) throws BrokerException {
        return replaceFailedProxy(d, address, false);
    }

    /**
     * @param allowDataLoss promote the replicas whatever their sync state (the operator's explicit call)
     * @return the replacement proxy's address, or null (free proxy marked failed, or ordered mode)
     */
    public static Outcome<String> replaceFailedProxy(StoreDraft d, String address, boolean allowDataLoss)
            throws BrokerException {
        ProxyResource failed = d.proxy(address);
        if (failed == null) {
            throw new BrokerException(BrokerError.PROXY_NOT_FOUND);
        }
        if (failed.cluster() == null) {
            d.removeFailures(address);
            d.addFailed(address);
            return Outcome.done(null);
        }
        String clusterName = failed.cluster();
        ClusterStore cluster = d.cluster(clusterName);
        if (cluster == null) {
            throw new BrokerException(BrokerError.CLUSTER_NOT_FOUND, "the proxy's cluster " + clusterName + " does not exist");
        }
        int chunkIndex = cluster.chunkIndexOf(address);
        if (chunkIndex < 0) {
            throw new BrokerException(BrokerError.CLUSTER_NOT_FOUND, "the proxy is not in its cluster " + clusterName);
        }
        if (!allowDataLoss) {
            List<String> unsafe = unsyncedPromotions(cluster.chunks().get(chunkIndex), address);
            if (!unsafe.isEmpty()) {
                throw new BrokerException(BrokerError.REPLICA_NOT_SYNCED, refusal(address, clusterName, unsafe));
            }
        }
        takeover(d, cluster, chunkIndex, address);

        if (d.enableOrderedProxy()) {
            d.bumpGlobalEpoch();
            return Outcome.done(null);
        }
        d.addFailed(address);
        ProxyResource replacement = chooseReplacement(d, failed.host());
        if (replacement == null) {
            return Outcome.failedAfterChange(BrokerError.NO_AVAILABLE_RESOURCE);
        }
        long epoch = d.bumpGlobalEpoch();
        cluster = d.cluster(clusterName);
        ChunkStore chunk = cluster.chunks().get(chunkIndex);
        int part = chunk.partOf(address);
        chunk = chunk.withProxy(part, replacement.proxyAddress(), replacement.host(), replacement.nodeAddresses());
        d.putCluster(cluster.withChunk(chunkIndex, chunk).withEpoch(epoch));
        d.setProxyCluster(address, null);
        d.setProxyCluster(replacement.proxyAddress(), clusterName);
        return Outcome.done(replacement.proxyAddress());
    }

    /**
     * The survivor of the chunk takes both masters, at a new epoch T. Idempotent: if it already
     * holds them, only the global epoch moves. Every migration task touching the failed part, and
     * every task sharing a source or destination with those, gets epoch T, so the proxies restart
     * them under a new identity (the master node changed).
     */
    private static void takeover(StoreDraft d, ClusterStore cluster, int chunkIndex, String address) {
        long t = d.bumpGlobalEpoch();
        ChunkStore chunk = cluster.chunks().get(chunkIndex);
        int part = chunk.partOf(address);
        ChunkRolePosition target = part == 0 ? ChunkRolePosition.SecondChunkMaster : ChunkRolePosition.FirstChunkMaster;
        if (chunk.rolePosition() == target) {
            return;
        }
        Set<Long> touched = new HashSet<>();
        for (MigrationSlotRangeStore r : chunk.migrating(part)) {
            MigrationMetaStore m = r.meta();
            touched.add(position(m.srcChunkIndex(), m.srcChunkPart()));
            touched.add(position(m.dstChunkIndex(), m.dstChunkPart()));
        }
        List<ChunkStore> chunks = new ArrayList<>(cluster.chunks().size());
        for (int i = 0; i < cluster.chunks().size(); i++) {
            ChunkStore c = cluster.chunks().get(i);
            if (i == chunkIndex) {
                c = c.withRolePosition(target);
            }
            if (!touched.isEmpty()) {
                for (int p = 0; p < ChunkStore.PARTS; p++) {
                    List<MigrationSlotRangeStore> records = new ArrayList<>(c.migrating(p).size());
                    for (MigrationSlotRangeStore r : c.migrating(p)) {
                        MigrationMetaStore m = r.meta();
                        boolean reset = touched.contains(position(m.srcChunkIndex(), m.srcChunkPart()))
                                || touched.contains(position(m.dstChunkIndex(), m.dstChunkPart()));
                        records.add(reset ? r.withMeta(m.withEpoch(t)) : r);
                    }
                    c = c.withMigrating(p, records);
                }
            }
            chunks.add(c);
        }
        d.putCluster(cluster.withChunks(chunks).withEpoch(t));
    }

    /**
     * Why failing this proxy over would lose data, or an empty list: one line per master on the
     * proxy that holds data (slots or a migration) and whose replica, the one the takeover would
     * promote, has not completed a sync of it. A proxy that is free, unknown or outside its cluster
     * has nothing to refuse.
     */
    public static List<String> unsyncedPromotions(MetaStore store, String address) {
        ProxyResource p = store.allProxies().get(address);
        ClusterStore cluster = p == null || p.cluster() == null ? null : store.clusters().get(p.cluster());
        int chunkIndex = cluster == null ? -1 : cluster.chunkIndexOf(address);
        return chunkIndex < 0 ? List.of() : unsyncedPromotions(cluster.chunks().get(chunkIndex), address);
    }

    static List<String> unsyncedPromotions(ChunkStore chunk, String address) {
        int failedPart = chunk.partOf(address);
        List<String> out = new ArrayList<>(2);
        for (int part = 0; part < ChunkStore.PARTS; part++) {
            if (chunk.proxyPartOfMaster(part) == failedPart && chunk.holdsData(part) && !chunk.replicaSynced(part)) {
                out.add("replica " + chunk.replicaOf(part) + " (proxy " + chunk.proxyAddresses().get(1 - failedPart)
                        + ") has not completed a sync of master " + chunk.masterOf(part));
            }
        }
        return out;
    }

    /** The refusal's message; stable while the state lasts, so that a coordinator logs it once. */
    public static String refusal(String address, String clusterName, List<String> unsafe) {
        return "failover of proxy " + address + " (cluster " + clusterName + ") refused: " + String.join("; ", unsafe)
                + "; promoting it would lose that master's data. The slots stay unavailable until the proxy is back,"
                + " or call POST /api/v3/proxies/failover_losing_data/" + address + " to promote anyway";
    }

    private static long position(int chunk, int part) {
        return ((long) chunk << 1) | part;
    }

    /** The first free proxy of the host least linked to {@code failedHost} (then most free); null if none. */
    private static ProxyResource chooseReplacement(StoreDraft d, String failedHost) {
        TreeMap<String, List<ProxyResource>> hostProxies = new TreeMap<>();
        for (ProxyResource p : d.proxies().values()) {
            if (d.isFree(p)) {
                hostProxies.computeIfAbsent(p.host(), h -> new ArrayList<>()).add(p);
            }
        }
        String host = ChunkAllocator.leastLinkedHost(hostProxies, LinkTable.of(d.clusters().values()), failedHost);
        return host == null ? null : hostProxies.get(host).getFirst();
    }
}
