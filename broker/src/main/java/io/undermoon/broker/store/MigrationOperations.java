package io.undermoon.broker.store;

import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MigrationMetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import java.util.ArrayList;
import java.util.List;

/** Planning scale-out and scale-down migrations, and committing finished tasks (spec §4.8, §4.9, §4.11). */
public final class MigrationOperations {
    private MigrationOperations() {}

    /**
     * Plans moving slots onto the chunks without slots, at a new epoch. The reference bumps the epoch
     * before its checks, so a failed call still raises it; here a failed call changes nothing.
     */
    public static void expand(StoreDraft d, String name) throws BrokerException {
        ClusterStore c = ClusterOperations.requireCluster(d, name);
        long epoch = d.bumpGlobalEpoch();
        d.putCluster(ExpandPlanner.plan(c, epoch));
    }

    /** Plans draining all chunks after the first {@code newNodeNumber / 4}, at a new epoch. */
    public static void shrink(StoreDraft d, String name, long newNodeNumber) throws BrokerException {
        ClusterStore c = ClusterOperations.requireCluster(d, name);
        long epoch = d.bumpGlobalEpoch();
        d.putCluster(ShrinkPlanner.plan(c, newNodeNumber, epoch));
    }

    /**
     * Commits a finished task, identified by its range list and its tag's epoch only (a Migrating or
     * an Importing tag; the addresses are ignored). The ranges become the destination's stable
     * slots. Errors: CLUSTER_NOT_FOUND, INVALID_MIGRATION_TASK (tag None), MIGRATION_TASK_NOT_FOUND
     * (unknown, or already committed: both sides of a task report it, the second gets this).
     */
    public static void commit(StoreDraft d, MigrationTaskMeta task) throws BrokerException {
        ClusterStore c = d.cluster(task.clusterName());
        if (c == null) {
            throw new BrokerException(BrokerError.CLUSTER_NOT_FOUND);
        }
        SlotRangeTag tag = task.slotRange().tag();
        if (tag.isStable()) {
            throw new BrokerException(BrokerError.INVALID_MIGRATION_TASK, "a task's tag must be Migrating or Importing");
        }
        long taskEpoch = tag.metaOrNull().epoch();
        RangeList ranges = task.slotRange().rangeList();
        int[] src = find(c, ranges, taskEpoch, true);
        int[] dst = find(c, ranges, taskEpoch, false);
        if (src == null || dst == null) {
            throw new BrokerException(BrokerError.MIGRATION_TASK_NOT_FOUND);
        }
        MigrationMetaStore meta = new MigrationMetaStore(taskEpoch, src[0], src[1], dst[0], dst[1]);
        List<ChunkStore> chunks = new ArrayList<>(c.chunks().size());
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                List<MigrationSlotRangeStore> kept = new ArrayList<>();
                for (MigrationSlotRangeStore r : chunk.migrating(part)) {
                    if (!(r.isMigrating() && r.rangeList().equals(ranges) && r.meta().equals(meta))) {
                        kept.add(r);
                    }
                }
                chunk = chunk.withMigrating(part, kept);
            }
            chunks.add(chunk);
        }
        ChunkStore dstChunk = chunks.get(dst[0]);
        List<MigrationSlotRangeStore> importing = new ArrayList<>(dstChunk.migrating(dst[1]));
        MigrationSlotRangeStore imported = importing.remove(dst[2]);
        SlotRange stable = dstChunk.stable(dst[1]);
        RangeList merged = stable == null ? imported.rangeList() : stable.rangeList().merge(imported.rangeList());
        chunks.set(dst[0], dstChunk.withMigrating(dst[1], importing).withStable(dst[1], SlotRange.stable(merged)));
        long epoch = d.bumpGlobalEpoch();
        d.putCluster(c.withChunks(chunks).withEpoch(epoch));
    }

    /** {chunk, part, position in the list} of the first matching record of one side, or null. */
    private static int[] find(ClusterStore c, RangeList ranges, long epoch, boolean migrating) {
        for (int i = 0; i < c.chunks().size(); i++) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                List<MigrationSlotRangeStore> records = c.chunks().get(i).migrating(part);
                for (int k = 0; k < records.size(); k++) {
                    MigrationSlotRangeStore r = records.get(k);
                    if (r.isMigrating() == migrating && r.meta().epoch() == epoch && r.rangeList().equals(ranges)) {
                        return new int[] {i, part, k};
                    }
                }
            }
        }
        return null;
    }
}
