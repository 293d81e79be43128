package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.ProxyResource;
import io.undermoon.model.broker.ReplicaSyncResult;
import io.undermoon.model.broker.ReplicaSyncState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Ours: records which replicas have completed a sync of their master ({@link ChunkStore#replicaSynced}),
 * as the coordinators read it from the proxies ({@code UMCTL REPLSTATUS}) and report it with
 * {@code POST /api/v3/replicas/sync_state}. A report applies only while its replica is the replica of
 * its master in the store; any other is stale (the topology moved on since the proxy was asked) and
 * is ignored. No epoch changes: proxies see nothing of this state. An entry that changes nothing
 * writes nothing.
 */
public final class ReplicaSyncOperations {
    private ReplicaSyncOperations() {}

    public static ReplicaSyncResult apply(StoreDraft d, List<ReplicaSyncState> reports) {
        Map<String, String> proxyOfNode = new HashMap<>();
        for (ProxyResource p : d.proxies().values()) {
            if (p.cluster() != null) {
                for (String n : p.nodeAddresses()) {
                    proxyOfNode.put(n, p.proxyAddress());
                }
            }
        }
        TreeSet<String> changed = new TreeSet<>();
        TreeSet<String> ignored = new TreeSet<>();
        for (ReplicaSyncState r : reports) {
            String proxy = proxyOfNode.get(r.replica());
            ProxyResource resource = proxy == null ? null : d.proxy(proxy);
            ClusterStore cluster = resource == null ? null : d.cluster(resource.cluster());
            int chunkIndex = cluster == null ? -1 : cluster.chunkIndexOf(proxy);
            if (chunkIndex < 0) {
                ignored.add(r.replica());
                continue;
            }
            ChunkStore chunk = cluster.chunks().get(chunkIndex);
            int part = partOfPair(chunk, r.master(), r.replica());
            if (part < 0) {
                ignored.add(r.replica());
                continue;
            }
            if (chunk.replicaSynced(part) != r.synced()) {
                d.putCluster(cluster.withChunk(chunkIndex, chunk.withReplicaSynced(part, r.synced())));
                changed.add(r.replica());
            }
        }
        return new ReplicaSyncResult(new ArrayList<>(changed), new ArrayList<>(ignored));
    }

    /** The part whose master is {@code master} and whose replica is {@code replica}, or -1. */
    private static int partOfPair(ChunkStore chunk, String master, String replica) {
        for (int part = 0; part < ChunkStore.PARTS; part++) {
            if (chunk.masterOf(part).equals(master) && chunk.replicaOf(part).equals(replica)) {
                return part;
            }
        }
        return -1;
    }
}
