package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the replication monitor saw over the run, per cluster: the layouts the broker published
 * (recorded when the epoch changes) and the slots whose data had a single copy (recorded when that
 * set changes). Each record holds from its time until the next one. Thread-safe.
 */
final class ClusterHistory {
    private record LayoutAt(long at, ClusterLayout layout) {}

    private record RiskAt(long at, BitSet singleCopy) {}

    private final Map<String, List<LayoutAt>> layouts = new HashMap<>();
    private final Map<String, List<RiskAt>> risks = new HashMap<>();
    private java.util.Set<String> live = java.util.Set.of();

    /** The clusters the broker listed at the last successful poll. */
    synchronized void recordLiveClusters(java.util.Collection<String> names) {
        live = java.util.Set.copyOf(names);
    }

    /** The proxies of the live clusters other than this one, by their last recorded layout. */
    synchronized java.util.Set<String> proxiesOfOtherClusters(String cluster) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String name : live) {
            List<LayoutAt> list = layouts.get(name);
            if (!name.equals(cluster) && list != null && !list.isEmpty()) {
                out.addAll(list.getLast().layout().proxies());
            }
        }
        return out;
    }

    /** Every layout change, one line each, for the report's forensic part. */
    synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        for (var e : layouts.entrySet()) {
            for (LayoutAt l : e.getValue()) {
                out.add(l.at() + " ms " + l.layout().describe());
            }
        }
        for (var e : risks.entrySet()) {
            for (RiskAt r : e.getValue()) {
                out.add(r.at() + " ms " + e.getKey() + " single-copy slots: " + ClusterLayout.ranges(r.singleCopy()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(line -> Long.parseLong(line.substring(0, line.indexOf(' ')))));
        return out;
    }

    synchronized void recordLayout(long at, ClusterLayout layout) {
        List<LayoutAt> list = layouts.computeIfAbsent(layout.name(), n -> new ArrayList<>());
        if (list.isEmpty() || list.getLast().layout().epoch() != layout.epoch()) {
            list.add(new LayoutAt(at, layout));
        }
    }

    synchronized void recordSingleCopy(long at, String cluster, BitSet singleCopy) {
        List<RiskAt> list = risks.computeIfAbsent(cluster, n -> new ArrayList<>());
        if (list.isEmpty() || !list.getLast().singleCopy().equals(singleCopy)) {
            list.add(new RiskAt(at, (BitSet) singleCopy.clone()));
        }
    }

    /** The last layout recorded for the cluster, or null. */
    synchronized ClusterLayout latest(String cluster) {
        List<LayoutAt> list = layouts.get(cluster);
        return list == null || list.isEmpty() ? null : list.getLast().layout();
    }

    /** The slots any of the nodes mastered at some moment of [from, to]. */
    synchronized BitSet slotsMasteredBy(String cluster, Collection<String> nodes, long from, long to) {
        BitSet out = new BitSet(SlotHash.SLOT_NUM);
        List<LayoutAt> list = layouts.getOrDefault(cluster, List.of());
        for (int i = 0; i < list.size(); i++) {
            long start = list.get(i).at();
            long end = i + 1 < list.size() ? list.get(i + 1).at() : Long.MAX_VALUE;
            if (start <= to && end > from) {
                out.or(list.get(i).layout().slotsOf(nodes));
            }
        }
        return out;
    }

    /** True if at some moment of [from, to] the slot's data had a single copy (its master had no in-sync replica). */
    synchronized boolean singleCopy(String cluster, int slot, long from, long to) {
        List<RiskAt> list = risks.getOrDefault(cluster, List.of());
        for (int i = 0; i < list.size(); i++) {
            long start = list.get(i).at();
            long end = i + 1 < list.size() ? list.get(i + 1).at() : Long.MAX_VALUE;
            if (start <= to && end > from && list.get(i).singleCopy().get(slot)) {
                return true;
            }
        }
        return false;
    }
}
