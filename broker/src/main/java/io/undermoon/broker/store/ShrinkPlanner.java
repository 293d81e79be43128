package io.undermoon.broker.store;

import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Scale-down planning (spec §4.9): the first {@code n/4} chunks stay and receive, in order, the
 * slots of the chunks after them, taken from the head of each source's ranges until every remaining
 * master holds {@code avg} or {@code avg + 1} slots. The drained parts lose their stable slots at
 * once; they keep serving the moving ranges as migrating until each task is committed, and are
 * removed later by deleting free nodes.
 */
final class ShrinkPlanner {
    private ShrinkPlanner() {}

    /**
     * The cluster with the tasks recorded and its epoch set to {@code epoch}.
     *
     * @throws BrokerException FREE_NODE_FOUND when a part already has no slots; MIGRATION_RUNNING;
     *     INVALID_NODE_NUMBER when {@code newNodeNumber} is 0, not a multiple of 4 or not smaller than
     *     the current count; RESOURCE_NOT_BALANCE when the remaining masters already hold more than
     *     their share (an uneven store the reference would crash on)
     */
    static ClusterStore plan(ClusterStore cluster, long newNodeNumber, long epoch) throws BrokerException {
        for (ChunkStore c : cluster.chunks()) {
            if (c.stable(0) == null || c.stable(1) == null) {
                throw new BrokerException(BrokerError.FREE_NODE_FOUND);
            }
        }
        if (cluster.isMigrating()) {
            throw new BrokerException(BrokerError.MIGRATION_RUNNING);
        }
        if (newNodeNumber == 0 || newNodeNumber % ChunkStore.NODES != 0 || newNodeNumber >= cluster.nodeNumber()) {
            throw new BrokerException(BrokerError.INVALID_NODE_NUMBER,
                    "the new node number must be a positive multiple of 4 below " + cluster.nodeNumber());
        }
        List<ChunkStore> chunks = new ArrayList<>(cluster.chunks());
        int newChunks = (int) (newNodeNumber / ChunkStore.NODES);
        int dstMasters = newChunks * ChunkStore.PARTS;
        int avg = SlotHash.SLOT_NUM / dstMasters;
        int rem = SlotHash.SLOT_NUM - avg * dstMasters;
        int[] existing = new int[dstMasters];
        for (int m = 0; m < dstMasters; m++) {
            existing[m] = chunks.get(m / 2).stable(m % 2).rangeList().slotCount();
        }

        List<PlannedTask> tasks = new ArrayList<>();
        int d = 0;
        int gathered = 0;
        for (int chunkIndex = newChunks; chunkIndex < chunks.size(); chunkIndex++) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                RangeList stable = chunks.get(chunkIndex).stable(part).rangeList();
                List<Range> ranges = new ArrayList<>(stable.ranges());
                int size = stable.slotCount();
                List<Range> taken = new ArrayList<>();
                while (d < dstMasters && size > 0) {
                    int dstTarget = ExpandPlanner.target(d, avg, rem);
                    int need = dstTarget - gathered - existing[d];
                    if (need <= 0) {
                        // a destination already at or over its share: the reference underflows here
                        d++;
                        gathered = 0;
                        continue;
                    }
                    int take = Math.min(need, size);
                    Range first = ranges.getFirst();
                    if (take >= first.size()) {
                        ranges.removeFirst();
                        taken.add(first);
                        size -= first.size();
                        gathered += first.size();
                    } else {
                        ranges.set(0, new Range(first.start() + take, first.end()));
                        taken.add(new Range(first.start(), first.start() + take - 1));
                        size -= take;
                        gathered += take;
                    }
                    boolean filled = gathered + existing[d] >= dstTarget;
                    if (filled || size == 0) {
                        tasks.add(new PlannedTask(chunkIndex, part, d / 2, d % 2, RangeList.of(taken)));
                        taken = new ArrayList<>();
                        if (filled) {
                            d++;
                            gathered = 0;
                        }
                    }
                }
                if (size > 0) {
                    throw new BrokerException(BrokerError.RESOURCE_NOT_BALANCE,
                            "the remaining masters already hold more than their share of slots");
                }
                chunks.set(chunkIndex, chunks.get(chunkIndex).withStable(part, null));
            }
        }
        return PlannedTask.apply(cluster, chunks, tasks, epoch);
    }
}
