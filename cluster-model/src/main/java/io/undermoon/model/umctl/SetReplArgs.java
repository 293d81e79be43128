package io.undermoon.model.umctl;

import io.undermoon.model.ClusterName;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@code UMCTL SETREPL}:
 * <pre>
 *   &lt;epoch&gt; &lt;flags&gt; [ (master|replica) &lt;cluster_name&gt; &lt;node&gt; &lt;peer_count&gt; (&lt;peer_node&gt; &lt;peer_proxy&gt;){peer_count} ]*
 * </pre>
 * A {@link Master} entry names a local master and its replicas; a {@link Replica} entry a local
 * replica and its masters. Roles are ASCII case-insensitive and written in lower case. A free node
 * is {@code master "" <node> 0}. SETREPL has its own epoch, separate from SETCLUSTER's; COMPRESS
 * is parsed but means nothing here. Entries keep their wire order.
 */
public record SetReplArgs(long epoch, UmctlFlags flags, List<Entry> entries) {

    public static final String MASTER = "master";
    public static final String REPLICA = "replica";

    public SetReplArgs {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        Objects.requireNonNull(flags, "flags");
        entries = List.copyOf(entries);
    }

    /** One side of a replication link: a Redis node and the proxy that owns it. */
    public record Peer(String nodeAddress, String proxyAddress) {
        public Peer {
            Objects.requireNonNull(nodeAddress, "nodeAddress");
            Objects.requireNonNull(proxyAddress, "proxyAddress");
        }
    }

    /** A local Redis node and its replication peers. */
    public sealed interface Entry permits Master, Replica {
        String clusterName();

        String nodeAddress();

        /** The replicas of a master, or the masters of a replica. */
        List<Peer> peers();

        /** {@code master} or {@code replica}, as written on the wire. */
        String role();
    }

    /** A local master and its replicas. */
    public record Master(String clusterName, String nodeAddress, List<Peer> replicas) implements Entry {
        public Master {
            checkName(clusterName);
            Objects.requireNonNull(nodeAddress, "nodeAddress");
            replicas = List.copyOf(replicas);
        }

        /** A node that belongs to no cluster: {@code master "" <node> 0}. */
        public static Master free(String nodeAddress) {
            return new Master("", nodeAddress, List.of());
        }

        @Override
        public List<Peer> peers() {
            return replicas;
        }

        @Override
        public String role() {
            return MASTER;
        }
    }

    /** A local replica and its masters. */
    public record Replica(String clusterName, String nodeAddress, List<Peer> masters) implements Entry {
        public Replica {
            checkName(clusterName);
            Objects.requireNonNull(nodeAddress, "nodeAddress");
            masters = List.copyOf(masters);
        }

        @Override
        public List<Peer> peers() {
            return masters;
        }

        @Override
        public String role() {
            return REPLICA;
        }
    }

    public List<Master> masters() {
        return entries.stream().filter(Master.class::isInstance).map(Master.class::cast).toList();
    }

    public List<Replica> replicas() {
        return entries.stream().filter(Replica.class::isInstance).map(Replica.class::cast).toList();
    }

    /**
     * Parses the arguments after {@code UMCTL SETREPL}. Tokens that are not UTF-8 are skipped, as
     * the reference does. Any failure is {@code InvalidArgs} or {@code InvalidClusterName}; the
     * proxy answers both with {@code -Invalid arguments}.
     */
    public static SetReplArgs parse(List<byte[]> tokens) throws UmctlParseException {
        return parseStrings(UmctlText.utf8SkippingInvalid(tokens));
    }

    public static SetReplArgs parseStrings(List<String> tokens) throws UmctlParseException {
        TokenCursor in = new TokenCursor(tokens);
        long epoch = in.nextEpoch("epoch");
        UmctlFlags flags = UmctlFlags.parse(in.next("flags"));
        List<Entry> entries = new ArrayList<>();
        while (in.hasNext()) {
            String role = in.next("role");
            String name = in.next("cluster name");
            if (!ClusterName.isValid(name)) {
                throw new UmctlParseException(Reason.InvalidClusterName, "invalid cluster name '" + name + "'");
            }
            String node = in.next("node address");
            int count = in.nextCount("peer count", 2);
            List<Peer> peers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                peers.add(new Peer(in.next("peer node address"), in.next("peer proxy address")));
            }
            if (UmctlText.equalsIgnoreAsciiCase(role, MASTER)) {
                entries.add(new Master(name, node, peers));
            } else if (UmctlText.equalsIgnoreAsciiCase(role, REPLICA)) {
                entries.add(new Replica(name, node, peers));
            } else {
                throw UmctlParseException.invalidArgs("unknown role '" + role + "'");
            }
        }
        return new SetReplArgs(epoch, flags, entries);
    }

    /** {@code <epoch> <flags> {<role> <cluster> <node> <n> {<peer_node> <peer_proxy>}*}*} in entry order. */
    public List<String> toTokens() {
        List<String> out = new ArrayList<>();
        out.add(Long.toString(epoch));
        out.add(flags.toArg());
        for (Entry entry : entries) {
            out.add(entry.role());
            out.add(entry.clusterName());
            out.add(entry.nodeAddress());
            out.add(Integer.toString(entry.peers().size()));
            for (Peer peer : entry.peers()) {
                out.add(peer.nodeAddress());
                out.add(peer.proxyAddress());
            }
        }
        return out;
    }

    private static void checkName(String clusterName) {
        if (!ClusterName.isValid(clusterName)) {
            throw new IllegalArgumentException("invalid cluster name '" + clusterName + "'");
        }
    }
}
