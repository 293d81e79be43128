package io.undermoon.coordinator.proxy;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.PeerProxy;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplPeer;
import io.undermoon.model.umctl.SetClusterArgs;
import io.undermoon.model.umctl.SetReplArgs;
import io.undermoon.model.umctl.UmctlFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the two metadata commands the coordinator sends a proxy from the broker's view of it
 * (spec §6.4.1 and §6.5). Pure functions; the grammar itself lives in cluster-model.
 */
public final class ProxyMetaCommands {
    public static final String UMCTL = "UMCTL";
    public static final String SETREPL = "SETREPL";
    public static final String SETCLUSTER = "SETCLUSTER";

    private ProxyMetaCommands() {}

    /**
     * {@code <epoch> NOFLAG} then, for a free proxy, {@code master "" <node> 0} per node; for a
     * cluster proxy, first its masters ({@code master <cluster> <node> <n> {<replica node> <replica
     * proxy>}*}) then its replicas ({@code replica <cluster> <node> <n> {<master node> <master
     * proxy>}*}), each in the view's node order.
     */
    public static SetReplArgs setReplArgs(ProxyView proxy) {
        List<SetReplArgs.Entry> entries = new ArrayList<>();
        if (proxy.isFree()) {
            for (NodeView node : proxy.nodes()) {
                entries.add(SetReplArgs.Master.free(node.address()));
            }
        } else {
            String cluster = proxy.clusterName();
            for (NodeView node : proxy.nodes()) {
                if (node.isMaster()) {
                    entries.add(new SetReplArgs.Master(cluster, node.address(), peers(node)));
                }
            }
            for (NodeView node : proxy.nodes()) {
                if (!node.isMaster()) {
                    entries.add(new SetReplArgs.Replica(cluster, node.address(), peers(node)));
                }
            }
        }
        return new SetReplArgs(proxy.epoch(), UmctlFlags.NONE, entries);
    }

    private static List<SetReplArgs.Peer> peers(NodeView node) {
        List<SetReplArgs.Peer> out = new ArrayList<>(node.repl().peers().size());
        for (ReplPeer p : node.repl().peers()) {
            out.add(new SetReplArgs.Peer(p.nodeAddress(), p.proxyAddress()));
        }
        return out;
    }

    /**
     * The slot map: the proxy's <em>master</em> nodes with their slots (none for a free proxy), its
     * peers with theirs, the cluster name ({@code ""} for a free proxy) and the cluster's config
     * (the code default when the broker gives none).
     */
    public static SetClusterArgs setClusterArgs(ProxyView proxy) {
        Map<String, List<SlotRange>> local = new LinkedHashMap<>();
        if (!proxy.isFree()) {
            for (NodeView node : proxy.nodes()) {
                if (node.isMaster()) {
                    local.computeIfAbsent(node.address(), a -> new ArrayList<>()).addAll(node.slots());
                }
            }
        }
        Map<String, List<SlotRange>> peer = new LinkedHashMap<>();
        for (PeerProxy p : proxy.peers()) {
            peer.computeIfAbsent(p.proxyAddress(), a -> new ArrayList<>()).addAll(p.slots());
        }
        String name = proxy.isFree() ? "" : proxy.clusterName();
        ClusterConfig config = proxy.clusterConfig() == null ? ClusterConfig.DEFAULT : proxy.clusterConfig();
        return SetClusterArgs.of(proxy.epoch(), name, local, peer, config);
    }

    /** The whole {@code UMCTL SETREPL ...} command. */
    public static List<String> setRepl(ProxyView proxy) {
        List<String> cmd = new ArrayList<>();
        cmd.add(UMCTL);
        cmd.add(SETREPL);
        cmd.addAll(setReplArgs(proxy).toTokens());
        return cmd;
    }

    /** The whole {@code UMCTL SETCLUSTER ...} command, plain or {@code COMPRESS}ed. */
    public static List<String> setCluster(ProxyView proxy, boolean compress) {
        SetClusterArgs args = setClusterArgs(proxy);
        List<String> cmd = new ArrayList<>();
        cmd.add(UMCTL);
        cmd.add(SETCLUSTER);
        cmd.addAll(compress ? args.toCompressedTokens() : args.toTokens());
        return cmd;
    }
}
