package io.undermoon.broker.store;

import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Scale-out planning (spec §4.8): the chunks without slots are the destinations; every master ends
 * with {@code avg} or {@code avg + 1} slots ({@code +1}s to the earliest masters), and each source
 * gives away slots from the tail of its ranges, in source order, filling destinations in order.
 */
final class ExpandPlanner {
    private ExpandPlanner() {}

    /**
     * The cluster with the tasks recorded and its epoch set to {@code epoch}.
     *
     * @throws BrokerException SLOTS_ALREADY_EVEN when no chunk has a part without slots;
     *     MIGRATION_RUNNING when a migration is already planned
     */
    static ClusterStore plan(ClusterStore cluster, long epoch) throws BrokerException {
        boolean anyEmptyPart = false;
        for (ChunkStore c : cluster.chunks()) {
            anyEmptyPart |= c.stable(0) == null || c.stable(1) == null;
        }
        if (!anyEmptyPart) {
            throw new BrokerException(BrokerError.SLOTS_ALREADY_EVEN);
        }
        if (cluster.isMigrating()) {
            throw new BrokerException(BrokerError.MIGRATION_RUNNING);
        }
        List<ChunkStore> chunks = new ArrayList<>(cluster.chunks());
        List<Integer> srcChunks = new ArrayList<>();
        List<Integer> dstChunks = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            (chunks.get(i).hasNoStableSlots() ? dstChunks : srcChunks).add(i);
        }
        int masters = chunks.size() * ChunkStore.PARTS;
        int avg = SlotHash.SLOT_NUM / masters;
        int rem = SlotHash.SLOT_NUM - avg * masters;
        int dstCount = dstChunks.size() * ChunkStore.PARTS;
        int dstBase = srcChunks.size() * ChunkStore.PARTS;

        List<PlannedTask> tasks = new ArrayList<>();
        int d = 0;
        int gathered = 0;
        for (int s = 0; s < srcChunks.size(); s++) {
            int chunkIndex = srcChunks.get(s);
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                SlotRange stable = chunks.get(chunkIndex).stable(part);
                if (stable == null) {
                    continue;
                }
                int srcTarget = target(s * ChunkStore.PARTS + part, avg, rem);
                List<Range> ranges = new ArrayList<>(stable.rangeList().ranges());
                int size = stable.rangeList().slotCount();
                List<Range> taken = new ArrayList<>();
                while (d < dstCount && size > srcTarget) {
                    int dstTarget = target(dstBase + d, avg, rem);
                    int take = Math.min(dstTarget - gathered, size - srcTarget);
                    Range last = ranges.getLast();
                    if (take >= last.size()) {
                        ranges.removeLast();
                        taken.add(last);
                        size -= last.size();
                        gathered += last.size();
                    } else {
                        ranges.set(ranges.size() - 1, new Range(last.start(), last.end() - take));
                        taken.add(new Range(last.end() - take + 1, last.end()));
                        size -= take;
                        gathered += take;
                    }
                    boolean dstFull = gathered >= dstTarget;
                    if (dstFull || size <= srcTarget) {
                        tasks.add(new PlannedTask(chunkIndex, part, dstChunks.get(d / 2), d % 2, RangeList.of(taken)));
                        taken = new ArrayList<>();
                        if (dstFull) {
                            d++;
                            gathered = 0;
                        }
                    }
                }
                chunks.set(chunkIndex, chunks.get(chunkIndex).withStable(part, SlotRange.stable(RangeList.of(ranges))));
            }
        }
        return PlannedTask.apply(cluster, chunks, tasks, epoch);
    }

    static int target(int masterIndex, int avg, int rem) {
        return avg + (masterIndex < rem ? 1 : 0);
    }
}
