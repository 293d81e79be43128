package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkRolePosition;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
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
 */
public final class Failover {
    private Failover() {}

    /**
     * @return the replacement proxy's address, or null (free proxy marked failed, or ordered mode)
     */
    public static Outcome<String> replaceFailedProxy(StoreDraft d, String address) throws BrokerException {
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
