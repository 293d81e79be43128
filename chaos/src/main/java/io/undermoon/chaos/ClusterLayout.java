package io.undermoon.chaos;

import io.undermoon.model.Range;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NodeView;
import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One cluster as the broker describes it at one moment: which Redis node masters which slots
 * (migrating and importing ranges included: a key of such a range may live on either side), and
 * which proxy owns each slot for clients.
 */
record ClusterLayout(String name, long epoch, Map<String, String> proxyOfNode, Map<String, BitSet> slotsOfMaster,
        Map<String, Set<String>> replicasOfMaster, String[] ownerProxy, boolean migrating) {

    static ClusterLayout of(ClusterView view) {
        Map<String, String> proxyOfNode = new TreeMap<>();
        Map<String, BitSet> slotsOfMaster = new TreeMap<>();
        Map<String, Set<String>> replicasOfMaster = new TreeMap<>();
        String[] owner = new String[SlotHash.SLOT_NUM];
        boolean migrating = false;
        for (NodeView n : view.nodes()) {
            proxyOfNode.put(n.address(), n.proxyAddress());
            if (!n.isMaster()) {
                for (var peer : n.repl().peers()) {
                    replicasOfMaster.computeIfAbsent(peer.nodeAddress(), m -> new TreeSet<>()).add(n.address());
                }
                continue;
            }
            BitSet slots = new BitSet(SlotHash.SLOT_NUM);
            for (SlotRange sr : n.slots()) {
                boolean importing = sr.tag() instanceof SlotRangeTag.Importing;
                migrating |= !(sr.tag() instanceof SlotRangeTag.None);
                for (Range r : sr.rangeList().ranges()) {
                    slots.set(r.start(), r.end() + 1);
                    if (!importing) {
                        for (int s = r.start(); s <= r.end(); s++) {
                            owner[s] = n.proxyAddress();
                        }
                    }
                }
            }
            slotsOfMaster.put(n.address(), slots);
        }
        return new ClusterLayout(view.name(), view.epoch(), Map.copyOf(proxyOfNode), Map.copyOf(slotsOfMaster),
                Map.copyOf(replicasOfMaster), owner, migrating);
    }

    /** The proxies of the cluster, in address order. */
    Set<String> proxies() {
        return new TreeSet<>(proxyOfNode.values());
    }

    /** The nodes that are masters here. */
    Set<String> masters() {
        return slotsOfMaster.keySet();
    }

    /** The replicas the broker lists for a master (the nodes a failover would promote); empty if none. */
    Set<String> replicasOf(String master) {
        return replicasOfMaster.getOrDefault(master, Set.of());
    }

    /** The slots mastered by any of these nodes. */
    BitSet slotsOf(Collection<String> nodes) {
        BitSet out = new BitSet(SlotHash.SLOT_NUM);
        for (String n : nodes) {
            BitSet s = slotsOfMaster.get(n);
            if (s != null) {
                out.or(s);
            }
        }
        return out;
    }

    /** One line: epoch, then each master node with its proxy and slots, then the replicas. */
    String describe() {
        StringBuilder b = new StringBuilder(name).append(" epoch ").append(epoch).append(':');
        for (var e : slotsOfMaster.entrySet()) {
            b.append(" master ").append(e.getKey()).append('@').append(proxyOfNode.get(e.getKey())).append(' ')
                    .append(ranges(e.getValue()));
        }
        for (var e : new TreeMap<>(proxyOfNode).entrySet()) {
            if (!slotsOfMaster.containsKey(e.getKey())) {
                b.append(" replica ").append(e.getKey()).append('@').append(e.getValue());
            }
        }
        return b.append(migrating ? " (migrating)" : "").toString();
    }

    /** Slot ranges of a set, e.g. {@code [0-4095 8192-8200]}. */
    static String ranges(BitSet slots) {
        StringBuilder b = new StringBuilder("[");
        int s = slots.nextSetBit(0);
        while (s >= 0) {
            int end = slots.nextClearBit(s) - 1;
            b.append(b.length() > 1 ? " " : "").append(s).append(end > s ? "-" + end : "");
            s = slots.nextSetBit(end + 1);
        }
        return b.append(']').toString();
    }

    /** The proxy clients must use for the slot (the migration source while a range moves), or null. */
    String ownerOf(int slot) {
        return ownerProxy[slot];
    }
}
