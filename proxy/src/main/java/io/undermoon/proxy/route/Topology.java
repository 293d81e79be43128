package io.undermoon.proxy.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.model.NodeId;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What clients see of the cluster, rendered once per metadata change: CLUSTER NODES, SLOTS,
 * SHARDS, INFO and MYID. Only masters appear (each proxy is one master node); the proxy itself
 * comes first, then its peers in address order.
 *
 * <p>Visibility during a migration, with state(R) the state of the local task for the exact range
 * list R (none when there is no local task): a MIGRATING range, local or peer, is shown only while
 * state(R) is PRE_CHECK; an IMPORTING range is shown unless state(R) is PRE_CHECK. So the source
 * shows R until it starts blocking, the destination from PRESWITCH on, and other proxies always
 * on the destination.
 */
public final class Topology {
    private final ByteBuf nodes;
    private final ByteBuf slots;
    private final ByteBuf shards;
    private final ByteBuf info;
    private final String myId;

    private Topology(ByteBuf nodes, ByteBuf slots, ByteBuf shards, ByteBuf info, String myId) {
        this.nodes = nodes;
        this.slots = slots;
        this.shards = shards;
        this.info = info;
        this.myId = myId;
    }

    /** A node: its address and the ranges it shows. */
    record Node(String address, String id, boolean myself, RangeList ranges) {}

    public static Topology render(String clusterName, long epoch, String announceAddress, String nodesVersion,
            SortedMap<String, List<SlotRange>> local, SortedMap<String, List<SlotRange>> peer, MigrationLookup migrations) {
        List<Node> nodes = new ArrayList<>();
        List<Range> mine = new ArrayList<>();
        for (List<SlotRange> ranges : local.values()) {
            for (SlotRange sr : ranges) {
                if (visible(sr, migrations)) {
                    mine.addAll(sr.rangeList().ranges());
                }
            }
        }
        nodes.add(new Node(announceAddress, NodeId.of(clusterName, announceAddress), true, clip(RangeList.compact(mine))));
        for (Map.Entry<String, List<SlotRange>> e : peer.entrySet()) {
            if (e.getKey().equals(announceAddress)) {
                continue;
            }
            List<Range> theirs = new ArrayList<>();
            for (SlotRange sr : e.getValue()) {
                if (visible(sr, migrations)) {
                    theirs.addAll(sr.rangeList().ranges());
                }
            }
            nodes.add(new Node(e.getKey(), NodeId.of(clusterName, e.getKey()), false, clip(RangeList.compact(theirs))));
        }
        return new Topology(
                fixed(RespWriter.bulk(Unpooled.buffer(), nodesText(nodes, epoch, nodesVersion))),
                fixed(slotsReply(nodes)),
                fixed(shardsReply(nodes)),
                fixed(RespWriter.bulk(Unpooled.buffer(), infoText(nodes, epoch))),
                nodes.get(0).id());
    }

    static boolean visible(SlotRange sr, MigrationLookup migrations) {
        if (sr.tag().isStable()) {
            return true;
        }
        io.undermoon.proxy.migration.MigrationState state = migrations.localState(sr.rangeList());
        boolean preCheck = state == io.undermoon.proxy.migration.MigrationState.PRE_CHECK;
        return sr.tag() instanceof SlotRangeTag.Migrating ? preCheck : !preCheck;
    }

    private static RangeList clip(RangeList rl) {
        List<Range> out = new ArrayList<>();
        for (Range r : rl.ranges()) {
            if (r.start() < SlotHash.SLOT_NUM) {
                out.add(new Range(r.start(), Math.min(r.end(), SlotHash.SLOT_NUM - 1)));
            }
        }
        return new RangeList(out);
    }

    /**
     * A reply shared by every session until the next SETCLUSTER replaces this table. It lives on the
     * heap, untracked, so that the garbage collector frees it with the table: a direct buffer here was
     * never released (readers may still be writing a duplicate), leaked its native memory on every
     * metadata change and was reported by the leak detector.
     */
    private static ByteBuf fixed(ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    static String nodesText(List<Node> nodes, long epoch, String nodesVersion) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.id()).append(' ').append(n.address());
            if (nodesVersion.equals("v2")) {
                sb.append("@5299");
            }
            sb.append(n.myself() ? " myself,master" : " master").append(" - 0 0 ").append(epoch).append(" connected");
            for (Range r : n.ranges().ranges()) {
                sb.append(' ');
                if (r.start() == r.end()) {
                    sb.append(r.start());
                } else {
                    sb.append(r.start()).append('-').append(r.end());
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String host(String address) {
        int i = address.lastIndexOf(':');
        return i < 0 ? address : address.substring(0, i);
    }

    private static long port(String address) {
        int i = address.lastIndexOf(':');
        try {
            return i < 0 ? 0 : Long.parseLong(address.substring(i + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ByteBuf slotsReply(List<Node> nodes) {
        ByteBuf b = Unpooled.buffer();
        int entries = 0;
        for (Node n : nodes) {
            entries += n.ranges().ranges().size();
        }
        RespWriter.arrayHeader(b, entries);
        for (Node n : nodes) {
            for (Range r : n.ranges().ranges()) {
                RespWriter.arrayHeader(b, 3);
                RespWriter.integer(b, r.start());
                RespWriter.integer(b, r.end());
                RespWriter.arrayHeader(b, 3);
                RespWriter.bulk(b, host(n.address()));
                RespWriter.integer(b, port(n.address()));
                RespWriter.bulk(b, n.id());
            }
        }
        return b;
    }

    private static ByteBuf shardsReply(List<Node> nodes) {
        ByteBuf b = Unpooled.buffer();
        List<Node> withSlots = nodes.stream().filter(n -> !n.ranges().isEmpty() || n.myself()).toList();
        RespWriter.arrayHeader(b, withSlots.size());
        for (Node n : withSlots) {
            RespWriter.arrayHeader(b, 4);
            RespWriter.bulk(b, "slots");
            RespWriter.arrayHeader(b, 2 * n.ranges().ranges().size());
            for (Range r : n.ranges().ranges()) {
                RespWriter.integer(b, r.start());
                RespWriter.integer(b, r.end());
            }
            RespWriter.bulk(b, "nodes");
            RespWriter.arrayHeader(b, 1);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", n.id());
            fields.put("port", port(n.address()));
            fields.put("ip", host(n.address()));
            fields.put("endpoint", host(n.address()));
            fields.put("role", "master");
            fields.put("replication-offset", 0L);
            fields.put("health", "online");
            RespWriter.arrayHeader(b, 2 * fields.size());
            for (var f : fields.entrySet()) {
                RespWriter.bulk(b, f.getKey());
                if (f.getValue() instanceof Long l) {
                    RespWriter.integer(b, l);
                } else {
                    RespWriter.bulk(b, (String) f.getValue());
                }
            }
        }
        return b;
    }

    private static String infoText(List<Node> nodes, long epoch) {
        int assigned = 0;
        int size = 0;
        for (Node n : nodes) {
            assigned += n.ranges().slotCount();
            if (!n.ranges().isEmpty()) {
                size++;
            }
        }
        String state = assigned == SlotHash.SLOT_NUM ? "ok" : "fail";
        return "cluster_enabled:1\r\n"
                + "cluster_state:" + state + "\r\n"
                + "cluster_slots_assigned:" + assigned + "\r\n"
                + "cluster_slots_ok:" + assigned + "\r\n"
                + "cluster_slots_pfail:0\r\n"
                + "cluster_slots_fail:0\r\n"
                + "cluster_known_nodes:" + nodes.size() + "\r\n"
                + "cluster_size:" + size + "\r\n"
                + "cluster_current_epoch:" + epoch + "\r\n"
                + "cluster_my_epoch:" + epoch + "\r\n"
                + "cluster_stats_messages_sent:0\r\n"
                + "cluster_stats_messages_received:0\r\n";
    }

    public ByteBuf nodesReply() {
        return nodes.duplicate();
    }

    public ByteBuf slotsReply() {
        return slots.duplicate();
    }

    public ByteBuf shardsReply() {
        return shards.duplicate();
    }

    public ByteBuf infoReply() {
        return info.duplicate();
    }

    public String myId() {
        return myId;
    }

    /** The CLUSTER NODES text, for tests and logs. */
    public String nodesText() {
        ByteBuf d = nodes.duplicate();
        int lf = d.indexOf(d.readerIndex(), d.writerIndex(), (byte) '\n');
        return d.toString(lf + 1, d.writerIndex() - lf - 3, StandardCharsets.UTF_8);
    }
}
