package io.undermoon.coordinator.testing;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.PeerProxy;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplMeta;
import io.undermoon.model.broker.ReplPeer;
import io.undermoon.model.broker.Role;
import java.util.List;

/** Builders for broker views in tests. */
public final class Views {
    private Views() {}

    public static SlotRange stable(int start, int end) {
        return SlotRange.stable(start, end);
    }

    public static MigrationMeta meta(long epoch, String srcProxy, String srcNode, String dstProxy, String dstNode) {
        return new MigrationMeta(epoch, srcProxy, srcNode, dstProxy, dstNode);
    }

    public static SlotRange migrating(int start, int end, MigrationMeta meta) {
        return new SlotRange(RangeList.of(Range.of(start, end)), new SlotRangeTag.Migrating(meta));
    }

    public static SlotRange importing(int start, int end, MigrationMeta meta) {
        return new SlotRange(RangeList.of(Range.of(start, end)), new SlotRangeTag.Importing(meta));
    }

    public static NodeView master(String node, String proxy, List<SlotRange> slots, String peerNode, String peerProxy) {
        return new NodeView(node, proxy, slots, new ReplMeta(Role.MASTER, List.of(new ReplPeer(peerNode, peerProxy))));
    }

    public static NodeView replica(String node, String proxy, String masterNode, String masterProxy) {
        return new NodeView(node, proxy, List.of(), new ReplMeta(Role.REPLICA, List.of(new ReplPeer(masterNode, masterProxy))));
    }

    public static NodeView freeNode(String node, String proxy) {
        return new NodeView(node, proxy, List.of(), new ReplMeta(Role.MASTER, List.of()));
    }

    public static ProxyView clusterProxy(String cluster, String address, long epoch, List<NodeView> nodes,
            List<PeerProxy> peers) {
        return new ProxyView(cluster, address, epoch, nodes, peers, ClusterConfig.DEFAULT);
    }

    public static ProxyView freeProxy(String address, long epoch, String node1, String node2) {
        return new ProxyView(null, address, epoch, List.of(freeNode(node1, address), freeNode(node2, address)), List.of(),
                null);
    }

    public static PeerProxy peer(String proxy, SlotRange... slots) {
        return new PeerProxy(proxy, List.of(slots));
    }

    public static ClusterView cluster(String name, long epoch, NodeView... nodes) {
        return new ClusterView(name, epoch, ClusterConfig.DEFAULT, List.of(nodes));
    }
}
