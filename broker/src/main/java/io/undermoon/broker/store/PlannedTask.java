package io.undermoon.broker.store;

import io.undermoon.model.RangeList;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MigrationMetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import java.util.ArrayList;
import java.util.List;

/** One planned migration: the ranges moving from a source (chunk, part) to a destination (chunk, part). */
record PlannedTask(int srcChunk, int srcPart, int dstChunk, int dstPart, RangeList ranges) {

    /**
     * Records every task twice (source list: migrating; destination list: importing) with meta
     * epoch {@code epoch}.
     */
    static List<ChunkStore> record(List<ChunkStore> chunks, List<PlannedTask> tasks, long epoch) {
        List<List<List<MigrationSlotRangeStore>>> lists = new ArrayList<>();
        for (ChunkStore c : chunks) {
            lists.add(List.of(new ArrayList<>(c.migrating(0)), new ArrayList<>(c.migrating(1))));
        }
        for (PlannedTask t : tasks) {
            MigrationMetaStore meta = new MigrationMetaStore(epoch, t.srcChunk, t.srcPart, t.dstChunk, t.dstPart);
            lists.get(t.srcChunk).get(t.srcPart).add(new MigrationSlotRangeStore(t.ranges, true, meta));
            lists.get(t.dstChunk).get(t.dstPart).add(new MigrationSlotRangeStore(t.ranges, false, meta));
        }
        List<ChunkStore> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            out.add(chunks.get(i).withMigrating(0, lists.get(i).get(0)).withMigrating(1, lists.get(i).get(1)));
        }
        return out;
    }

    static ClusterStore apply(ClusterStore cluster, List<ChunkStore> chunks, List<PlannedTask> tasks, long epoch) {
        return cluster.withChunks(record(chunks, tasks, epoch)).withEpoch(epoch);
    }
}
