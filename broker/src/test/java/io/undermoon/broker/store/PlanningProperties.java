package io.undermoon.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Expand and shrink for random sizes: every slot is owned exactly once at every step, only the
 * planned ranges move, and committing the tasks (in any order) converges to an even layout.
 */
class PlanningProperties {

    /** owner[slot] = chunk * 2 + part of the part that owns it (stable, or migrating out). */
    private static int[] owners(ClusterStore c) {
        int[] owner = new int[SlotHash.SLOT_NUM];
        java.util.Arrays.fill(owner, -1);
        for (int i = 0; i < c.chunks().size(); i++) {
            ChunkStore chunk = c.chunks().get(i);
            for (int part = 0; part < 2; part++) {
                List<Range> ranges = new ArrayList<>();
                if (chunk.stable(part) != null) {
                    ranges.addAll(chunk.stable(part).rangeList().ranges());
                }
                for (MigrationSlotRangeStore r : chunk.migrating(part)) {
                    if (r.isMigrating()) {
                        ranges.addAll(r.rangeList().ranges());
                    }
                }
                for (Range r : ranges) {
                    for (int s = r.start(); s <= r.end(); s++) {
                        assertThat(owner[s]).as("slot %d owned twice", s).isEqualTo(-1);
                        owner[s] = i * 2 + part;
                    }
                }
            }
        }
        for (int s = 0; s < owner.length; s++) {
            assertThat(owner[s]).as("slot %d owned", s).isNotEqualTo(-1);
        }
        return owner;
    }

    /** dst[slot] = chunk * 2 + part of the planned destination, or -1 if the slot does not move. */
    private static int[] plannedDestinations(ClusterStore c) {
        int[] dst = new int[SlotHash.SLOT_NUM];
        java.util.Arrays.fill(dst, -1);
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < 2; part++) {
                for (MigrationSlotRangeStore r : chunk.migrating(part)) {
                    if (r.isMigrating()) {
                        for (Range range : r.rangeList().ranges()) {
                            for (int s = range.start(); s <= range.end(); s++) {
                                dst[s] = r.meta().dstChunkIndex() * 2 + r.meta().dstChunkPart();
                            }
                        }
                    }
                }
            }
        }
        return dst;
    }

    private static void commitAll(StoreDraft d, String name, Random random) throws BrokerException {
        while (d.cluster(name).isMigrating()) {
            List<MigrationSlotRangeStore> records = new ArrayList<>();
            for (ChunkStore chunk : d.cluster(name).chunks()) {
                for (int part = 0; part < 2; part++) {
                    records.addAll(chunk.migrating(part));
                }
            }
            MigrationSlotRangeStore r = records.get(random.nextInt(records.size()));
            MigrationMeta meta = new MigrationMeta(r.meta().epoch(), "p:1", "n:1", "q:1", "m:1");
            SlotRangeTag tag = r.isMigrating() ? new SlotRangeTag.Migrating(meta) : new SlotRangeTag.Importing(meta);
            long epoch = d.cluster(name).epoch();
            MigrationOperations.commit(d, new MigrationTaskMeta(name, new SlotRange(r.rangeList(), tag)));
            assertThat(d.cluster(name).epoch()).isGreaterThan(epoch);
            owners(d.cluster(name));
        }
    }

    /** After all commits: every master holds avg or avg+1 slots in one range, counts non-increasing in node order. */
    private static void assertEven(ClusterStore c) {
        int masters = c.chunks().size() * 2;
        int avg = SlotHash.SLOT_NUM / masters;
        List<Integer> sizes = new ArrayList<>();
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < 2; part++) {
                assertThat(chunk.stable(part)).isNotNull();
                sizes.add(chunk.stable(part).rangeList().slotCount());
            }
        }
        assertThat(sizes).allMatch(s -> s == avg || s == avg + 1);
        List<Integer> sorted = new ArrayList<>(sizes);
        sorted.sort(Collections.reverseOrder());
        assertThat(sizes).isEqualTo(sorted);
    }

    private static void assertOnlyPlannedRangesMove(int[] before, int[] planned, int[] after) {
        for (int s = 0; s < SlotHash.SLOT_NUM; s++) {
            int expected = planned[s] >= 0 ? planned[s] : before[s];
            assertThat(after[s]).as("owner of slot %d", s).isEqualTo(expected);
        }
    }

    @Property(tries = 60)
    void expandMovesOnlyThePlannedRangesAndEndsEven(@ForAll @IntRange(min = 1, max = 6) int fromChunks,
                                                    @ForAll @IntRange(min = 1, max = 6) int addChunks,
                                                    @ForAll long seed) throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", fromChunks * 4, 6, 4);
        ClusterOperations.addNodes(d, "c", addChunks * 4L);
        int[] before = owners(d.cluster("c"));
        MigrationOperations.expand(d, "c");
        ClusterStore planned = d.cluster("c");
        int[] during = owners(planned);
        assertThat(during).as("planning moves nothing yet").isEqualTo(before);
        int[] dst = plannedDestinations(planned);
        for (int s = 0; s < SlotHash.SLOT_NUM; s++) {
            if (dst[s] >= 0) {
                assertThat(dst[s] / 2).as("expand moves slots onto the new chunks only").isGreaterThanOrEqualTo(fromChunks);
            }
        }
        commitAll(d, "c", new Random(seed));
        assertOnlyPlannedRangesMove(before, dst, owners(d.cluster("c")));
        assertEven(d.cluster("c"));
    }

    @Property(tries = 60)
    void shrinkMovesOnlyThePlannedRangesAndEndsEven(@ForAll @IntRange(min = 2, max = 8) int fromChunks,
                                                    @ForAll @IntRange(min = 1, max = 7) int toChunks,
                                                    @ForAll long seed) throws BrokerException {
        if (toChunks >= fromChunks) {
            return;
        }
        StoreDraft d = Fixtures.withCluster("c", fromChunks * 4, 6, 4);
        int[] before = owners(d.cluster("c"));
        MigrationOperations.shrink(d, "c", toChunks * 4L);
        ClusterStore planned = d.cluster("c");
        assertThat(owners(planned)).isEqualTo(before);
        int[] dst = plannedDestinations(planned);
        for (int s = 0; s < SlotHash.SLOT_NUM; s++) {
            boolean onRemoved = before[s] / 2 >= toChunks;
            assertThat(dst[s] >= 0).as("slot %d moves iff its chunk goes away", s).isEqualTo(onRemoved);
            if (dst[s] >= 0) {
                assertThat(dst[s] / 2).isLessThan(toChunks);
            }
        }
        commitAll(d, "c", new Random(seed));
        assertOnlyPlannedRangesMove(before, dst, owners(d.cluster("c")));
        ClusterOperations.deleteFreeNodes(d, "c");
        assertThat(d.cluster("c").chunks()).hasSize(toChunks);
        assertEven(d.cluster("c"));
        Fixtures.assertProxiesConsistent(d.build());
    }
}
