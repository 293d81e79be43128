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

    /** Layout changes recorded (for the report). */
    synchronized int layoutChanges() {
        return layouts.values().stream().mapToInt(List::size).sum();
    }
}
