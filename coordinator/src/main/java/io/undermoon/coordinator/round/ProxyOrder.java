package io.undermoon.coordinator.round;

import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NodeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which the metadata sync visits proxies (spec §6.4), so that clients are never
 * redirected to a proxy that does not know the cluster yet: cluster by cluster, nodes sorted by
 * {@link #sortKey}, each node's proxy the first time it appears (failed ones included: they still
 * belong to their cluster); then every other registered proxy that is not failed (the free ones).
 * The sort is stable on an explicit key, unlike the reference's comparator, which is not a total
 * order.
 */
public final class ProxyOrder {
    private ProxyOrder() {}

    /** 0: the node imports some slots; 1: it has no slots (replicas, new nodes); 2: the others. */
    public static int sortKey(NodeView node) {
        for (SlotRange r : node.slots()) {
            if (r.tag() instanceof SlotRangeTag.Importing) {
                return 0;
            }
        }
        return node.slots().isEmpty() ? 1 : 2;
    }

    /**
     * @param clusters   the clusters in listing order (a cluster the broker no longer has is left out)
     * @param allProxies every registered proxy, in listing order
     * @param failed     the failed proxies
     */
    public static List<String> order(List<ClusterView> clusters, List<String> allProxies, Set<String> failed) {
        Set<String> out = new LinkedHashSet<>();
        for (ClusterView cluster : clusters) {
            List<NodeView> nodes = new ArrayList<>(cluster.nodes());
            nodes.sort(Comparator.comparingInt(ProxyOrder::sortKey)); // List.sort is stable
            for (NodeView node : nodes) {
                out.add(node.proxyAddress());
            }
        }
        for (String proxy : allProxies) {
            if (!failed.contains(proxy)) {
                out.add(proxy);
            }
        }
        return List.copyOf(out);
    }
}
