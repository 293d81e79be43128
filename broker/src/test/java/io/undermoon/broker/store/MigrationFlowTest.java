package io.undermoon.broker.store;

import static io.undermoon.broker.store.Fixtures.assertSlotsCoveredOnce;
import static io.undermoon.broker.store.Fixtures.ranges;
import static io.undermoon.broker.store.SlotPlanningTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.view.ClusterViews;
import io.undermoon.broker.view.MigrationLimitedView;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.NodeView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The migration-limited view (§4.10) and commits (§4.11), through a whole 4 -> 8 -> 4 cycle. */
class MigrationFlowTest {

    private static StoreDraft expanding() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 2);
        ClusterOperations.addNodes(d, "c", 4);
        MigrationOperations.expand(d, "c");
        return d;
    }

    /** The tagged slots of every master in the view, as text. */
    private static List<String> masters(ClusterView v) {
        List<String> out = new ArrayList<>();
        for (NodeView n : v.nodes()) {
            if (n.isMaster()) {
                out.add(n.address() + " " + n.slots().stream().map(SlotRange::toString).toList());
            }
        }
        return out;
    }

    @Test
    void limitOneShowsOnlyTheFirstTaskAndHidesTheRestWithItsSource() throws BrokerException {
        ClusterStore c = expanding().cluster("c");
        ClusterStore view = MigrationLimitedView.of(c, 1);
        assertThat(Fixtures.tasks(view)).containsExactly("(0,0)->(1,0): 4096-8191");
        assertThat(view.chunks().get(0).stable(1)).isEqualTo(SlotRange.stable(8192, 16383));
        assertThat(view.chunks().get(1).stable(1)).isNull();
        assertThat(view.chunks().get(1).migrating(1)).isEmpty();
        assertSlotsCoveredOnce(view);
        // the store keeps both
        assertThat(Fixtures.tasks(c)).hasSize(2);
        assertThat(MigrationLimitedView.of(c, 2)).isEqualTo(c);
        assertThat(MigrationLimitedView.of(c, 0)).isEqualTo(c);

        ClusterInfo info = ClusterViews.info(c, 1);
        assertThat(info).usingRecursiveComparison().ignoringFields("replicasNotSynced", "failoversRefused")
                .isEqualTo(new ClusterInfo("c", 8, 4, true));
    }

    @Test
    void viewAddressesFollowTheChunks() throws BrokerException {
        StoreDraft d = expanding();
        ClusterStore c = d.cluster("c");
        ChunkStore c0 = c.chunks().get(0);
        ChunkStore c1 = c.chunks().get(1);
        long e = c.epoch();
        ClusterView v = ClusterViews.cluster(c, 1);
        MigrationMeta meta = new MigrationMeta(e, c0.proxyAddresses().get(0), c0.nodeAddresses().get(0),
                c1.proxyAddresses().get(0), c1.nodeAddresses().get(0));
        assertThat(masters(v)).containsExactly(
                c0.nodeAddresses().get(0) + " [1 0-4095, MIGRATING 1 4096-8191 " + String.join(" ", meta.toTokens()) + "]",
                c0.nodeAddresses().get(2) + " [1 8192-16383]",
                c1.nodeAddresses().get(0) + " [IMPORTING 1 4096-8191 " + String.join(" ", meta.toTokens()) + "]",
                c1.nodeAddresses().get(2) + " []");
        // replicas have no slots and each node has exactly one peer: N0-N3, N1-N2
        NodeView n1 = v.nodes().get(1);
        assertThat(n1.isMaster()).isFalse();
        assertThat(n1.slots()).isEmpty();
        assertThat(n1.repl().peers()).hasSize(1);
        assertThat(n1.repl().peers().get(0).nodeAddress()).isEqualTo(c0.nodeAddresses().get(2));
        assertThat(n1.repl().peers().get(0).proxyAddress()).isEqualTo(c0.proxyAddresses().get(1));
    }

    @Test
    void commitsMoveTheRangesAndRevealTheNextTask() throws BrokerException {
        StoreDraft d = expanding();
        ClusterStore c = d.cluster("c");
        long e = c.epoch();
        MigrationMeta anyAddresses = new MigrationMeta(e, "x:1", "x:2", "y:1", "y:2");

        // the source reports first (Migrating); addresses are ignored
        MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(ranges(4096, 8191), new SlotRangeTag.Migrating(anyAddresses))));
        ClusterStore after = d.cluster("c");
        assertThat(after.epoch()).isEqualTo(d.globalEpoch()).isGreaterThan(e);
        assertThat(after.chunks().get(1).stable(0)).isEqualTo(SlotRange.stable(4096, 8191));
        assertSlotsCoveredOnce(after);
        // the destination reports the same task (Importing): already committed
        assertError(() -> MigrationOperations.commit(d, new MigrationTaskMeta("c",
                new SlotRange(ranges(4096, 8191), new SlotRangeTag.Importing(anyAddresses)))), BrokerError.MIGRATION_TASK_NOT_FOUND);
        // the second task is now visible with limit 1
        assertThat(Fixtures.tasks(MigrationLimitedView.of(after, 1))).containsExactly("(0,1)->(1,1): 12288-16383");
        // wrong epoch or wrong ranges do not match
        assertError(() -> MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(ranges(12288, 16383),
                new SlotRangeTag.Importing(new MigrationMeta(e + 1, "x:1", "x:2", "y:1", "y:2"))))), BrokerError.MIGRATION_TASK_NOT_FOUND);
        assertError(() -> MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(ranges(12288, 16382),
                new SlotRangeTag.Importing(anyAddresses)))), BrokerError.MIGRATION_TASK_NOT_FOUND);
        assertError(() -> MigrationOperations.commit(d, new MigrationTaskMeta("c", SlotRange.stable(12288, 16383))),
                BrokerError.INVALID_MIGRATION_TASK);
        assertError(() -> MigrationOperations.commit(d, new MigrationTaskMeta("nope", new SlotRange(ranges(12288, 16383),
                new SlotRangeTag.Importing(anyAddresses)))), BrokerError.CLUSTER_NOT_FOUND);
        // the importing side may commit first too
        MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(ranges(12288, 16383), new SlotRangeTag.Importing(anyAddresses))));
        ClusterStore done = d.cluster("c");
        assertThat(done.isMigrating()).isFalse();
        assertThat(Fixtures.stable(done)).containsExactly("0-4095", "8192-12287", "4096-8191", "12288-16383");
        assertThat(ClusterViews.info(done, 1)).usingRecursiveComparison().ignoringFields("replicasNotSynced", "failoversRefused")
                .isEqualTo(new ClusterInfo("c", 8, 8, false));

        // and back down to 4: shrink, commit both, delete the free nodes
        MigrationOperations.shrink(d, "c", 4);
        for (String t : Fixtures.tasks(d.cluster("c"))) {
            assertThat(t).startsWith("(1,");
        }
        ClusterStore shrinking = d.cluster("c");
        assertError(() -> ClusterOperations.deleteFreeNodes(d, "c"), BrokerError.MIGRATION_RUNNING);
        for (ChunkStore chunk : shrinking.chunks()) {
            for (int part = 0; part < 2; part++) {
                for (MigrationSlotRangeStore r : chunk.migrating(part)) {
                    if (r.isMigrating()) {
                        MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(r.rangeList(),
                                new SlotRangeTag.Migrating(new MigrationMeta(r.meta().epoch(), "a:1", "a:2", "b:1", "b:2")))));
                    }
                }
            }
        }
        assertThat(Fixtures.stable(d.cluster("c"))).containsExactly("0-8191", "8192-16383", "-", "-");
        ClusterOperations.deleteFreeNodes(d, "c");
        assertThat(d.cluster("c").nodeNumber()).isEqualTo(4);
        assertSlotsCoveredOnce(d.cluster("c"));
        Fixtures.assertProxiesConsistent(d.build());
    }

    @Test
    void committedRangesAreCompacted() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 8, 4, 2);
        ClusterOperations.addNodes(d, "c", 4);
        MigrationOperations.expand(d, "c"); // 8 -> 12: two sources per destination
        for (String t : Fixtures.tasks(d.cluster("c"))) {
            assertThat(t).isNotEmpty();
        }
        List<MigrationSlotRangeStore> records = new ArrayList<>();
        for (ChunkStore chunk : d.cluster("c").chunks()) {
            for (int p = 0; p < 2; p++) {
                chunk.migrating(p).stream().filter(MigrationSlotRangeStore::isMigrating).forEach(records::add);
            }
        }
        for (MigrationSlotRangeStore r : records) {
            MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(r.rangeList(),
                    new SlotRangeTag.Migrating(new MigrationMeta(r.meta().epoch(), "a:1", "a:2", "b:1", "b:2")))));
        }
        ClusterStore done = d.cluster("c");
        assertThat(done.isMigrating()).isFalse();
        // (2,0) received 2731-4095 and 6827-8191: two ranges, each compacted
        assertThat(done.chunks().get(2).stable(0).rangeList()).isEqualTo(RangeList.of(ranges(2731, 4095, 6827, 8191).ranges()));
        assertSlotsCoveredOnce(done);
        List<Integer> sizes = new ArrayList<>();
        for (ChunkStore chunk : done.chunks()) {
            sizes.add(chunk.stable(0).rangeList().slotCount());
            sizes.add(chunk.stable(1).rangeList().slotCount());
        }
        assertThat(sizes).containsExactly(2731, 2731, 2731, 2731, 2730, 2730);
    }
}
