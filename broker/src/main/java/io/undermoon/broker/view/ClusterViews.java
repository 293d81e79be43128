package io.undermoon.broker.view;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ChunkRolePosition;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationMetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.PeerProxy;
import io.undermoon.model.broker.ProxyResource;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplMeta;
import io.undermoon.model.broker.ReplPeer;
import io.undermoon.model.broker.Role;
import io.undermoon.model.broker.UnsyncedReplica;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire views derived from the store (spec §2.8). Every cluster, proxy and info view is built
 * from the migration-limited copy of the cluster ({@link MigrationLimitedView}).
 *
 * <p>Within a chunk, P0 owns N0/N1 and P1 owns N2/N3; the replication peers are N0-N3 and N1-N2;
 * the masters are N0 (part 0) and N2 (part 1) when Normal, N0 and N1 when FirstChunkMaster, N3 and
 * N2 when SecondChunkMaster. A master shows its part's stable slots, then one tagged range per
 * migration record of the part, with addresses resolved from (chunk, part) at this moment.
 */
public final class ClusterViews {
    private ClusterViews() {}

    /** The cluster view, computed from the migration-limited copy. */
    public static ClusterView cluster(ClusterStore cluster, long migrationLimit) {
        ClusterStore limited = MigrationLimitedView.of(cluster, migrationLimit);
        return new ClusterView(limited.name(), limited.epoch(), limited.config(), nodes(limited));
    }

    /** Node count, nodes with slots and migration state of the migration-limited copy. */
    public static ClusterInfo info(ClusterStore cluster, long migrationLimit) {
        ClusterStore limited = MigrationLimitedView.of(cluster, migrationLimit);
        int partsWithSlots = 0;
        for (ChunkStore c : limited.chunks()) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                if (c.stable(part) != null) {
                    partsWithSlots++;
                }
            }
        }
        return new ClusterInfo(limited.name(), limited.nodeNumber(), partsWithSlots * 2L, limited.isMigrating(),
                unsyncedReplicas(cluster), List.of());
    }

    /** The masters holding data whose replica has not completed a sync of them (ours), chunk by chunk. */
    public static List<UnsyncedReplica> unsyncedReplicas(ClusterStore cluster) {
        List<UnsyncedReplica> out = new ArrayList<>();
        for (ChunkStore c : cluster.chunks()) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                if (c.holdsData(part) && !c.replicaSynced(part)) {
                    int masterProxy = c.proxyPartOfMaster(part);
                    out.add(new UnsyncedReplica(c.masterOf(part), c.proxyAddresses().get(masterProxy), c.replicaOf(part),
                            c.proxyAddresses().get(1 - masterProxy)));
                }
            }
        }
        return out;
    }

    /**
     * The proxy view, or null for an unknown address (or a proxy whose cluster does not exist, which
     * only an inconsistent store can have).
     */
    public static ProxyView proxy(MetaStore store, String address, long migrationLimit) {
        ProxyResource resource = store.allProxies().get(address);
        if (resource == null) {
            return null;
        }
        if (resource.cluster() == null) {
            List<NodeView> nodes = new ArrayList<>(2);
            for (String node : resource.nodeAddresses()) {
                nodes.add(new NodeView(node, address, List.of(), new ReplMeta(Role.MASTER, List.of())));
            }
            return new ProxyView(null, address, store.globalEpoch(), nodes, List.of(), null);
        }
        ClusterStore cluster = store.clusters().get(resource.cluster());
        if (cluster == null) {
            return null;
        }
        List<NodeView> all = nodes(MigrationLimitedView.of(cluster, migrationLimit));
        List<NodeView> own = new ArrayList<>(2);
        Map<String, List<SlotRange>> peers = new LinkedHashMap<>();
        for (NodeView n : all) {
            if (n.proxyAddress().equals(address)) {
                own.add(n);
            } else if (n.repl().role() == Role.MASTER) {
                peers.computeIfAbsent(n.proxyAddress(), k -> new ArrayList<>()).addAll(n.slots());
            }
        }
        List<PeerProxy> peerList = new ArrayList<>(peers.size());
        peers.forEach((p, slots) -> peerList.add(new PeerProxy(p, slots)));
        return new ProxyView(cluster.name(), address, cluster.epoch(), own, peerList, cluster.config());
    }

    /** The nodes of an (already limited) cluster, chunk by chunk, N0..N3. */
    public static List<NodeView> nodes(ClusterStore limited) {
        List<NodeView> out = new ArrayList<>(limited.chunks().size() * ChunkStore.NODES);
        for (ChunkStore chunk : limited.chunks()) {
            for (int node = 0; node < ChunkStore.NODES; node++) {
                int peer = ChunkStore.NODES - 1 - node;
                int masterPart = masterPartOf(chunk.rolePosition(), node);
                List<SlotRange> slots = masterPart < 0 ? List.of() : masterSlots(limited, chunk, masterPart);
                ReplMeta repl = new ReplMeta(masterPart < 0 ? Role.REPLICA : Role.MASTER,
                        List.of(new ReplPeer(chunk.nodeAddresses().get(peer), proxyOfNode(chunk, peer))));
                out.add(new NodeView(chunk.nodeAddresses().get(node), proxyOfNode(chunk, node), slots, repl));
            }
        }
        return out;
    }

    /** The part whose master is this node (0..3), or -1 for a replica. */
    static int masterPartOf(ChunkRolePosition role, int node) {
        return switch (role) {
            case Normal -> node == 0 ? 0 : node == 2 ? 1 : -1;
            case FirstChunkMaster -> node == 0 ? 0 : node == 1 ? 1 : -1;
            case SecondChunkMaster -> node == 3 ? 0 : node == 2 ? 1 : -1;
        };
    }

    /** The node index (0..3) of the master of a part. */
    static int masterNodeOf(ChunkRolePosition role, int part) {
        if (part == 0) {
            return role == ChunkRolePosition.SecondChunkMaster ? 3 : 0;
        }
        return role == ChunkRolePosition.FirstChunkMaster ? 1 : 2;
    }

    private static String proxyOfNode(ChunkStore chunk, int node) {
        return chunk.proxyAddresses().get(node / ChunkStore.NODES_PER_PROXY);
    }

    private static List<SlotRange> masterSlots(ClusterStore cluster, ChunkStore chunk, int part) {
        List<SlotRange> slots = new ArrayList<>(1 + chunk.migrating(part).size());
        if (chunk.stable(part) != null) {
            slots.add(chunk.stable(part));
        }
        for (MigrationSlotRangeStore r : chunk.migrating(part)) {
            MigrationMeta meta = resolve(cluster, r.meta());
            slots.add(new SlotRange(r.rangeList(), r.isMigrating() ? new SlotRangeTag.Migrating(meta) : new SlotRangeTag.Importing(meta)));
        }
        return slots;
    }

    /** Addresses of a stored task's source and destination masters, as of now. */
    static MigrationMeta resolve(ClusterStore cluster, MigrationMetaStore m) {
        ChunkStore src = cluster.chunks().get(m.srcChunkIndex());
        ChunkStore dst = cluster.chunks().get(m.dstChunkIndex());
        int srcNode = masterNodeOf(src.rolePosition(), m.srcChunkPart());
        int dstNode = masterNodeOf(dst.rolePosition(), m.dstChunkPart());
        return new MigrationMeta(m.epoch(), proxyOfNode(src, srcNode), src.nodeAddresses().get(srcNode),
                proxyOfNode(dst, dstNode), dst.nodeAddresses().get(dstNode));
    }
}
