package io.undermoon.broker.store;

import static io.undermoon.broker.store.Fixtures.assertSlotsCoveredOnce;
import static io.undermoon.broker.store.Fixtures.stable;
import static io.undermoon.broker.store.Fixtures.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's worked examples of slot assignment (§4.4), expand (§4.8) and shrink (§4.9), exactly. */
class SlotPlanningTest {

    private static ClusterStore created(int nodes) throws BrokerException {
        return Fixtures.withCluster("c", nodes, 6, 4).cluster("c");
    }

    @Test
    void assignmentAtCreation() throws BrokerException {
        assertThat(stable(created(4))).containsExactly("0-8191", "8192-16383");
        assertThat(stable(created(8))).containsExactly("0-4095", "4096-8191", "8192-12287", "12288-16383");
        assertThat(stable(created(12))).containsExactly("0-2730", "2731-5461", "5462-8192", "8193-10923", "10924-13653",
                "13654-16383");
        List<Integer> sizes = new ArrayList<>();
        for (ChunkStore c : created(20).chunks()) {
            sizes.add(c.stable(0).rangeList().slotCount());
            sizes.add(c.stable(1).rangeList().slotCount());
        }
        assertThat(sizes).containsExactly(1639, 1639, 1639, 1639, 1638, 1638, 1638, 1638, 1638, 1638);
        assertSlotsCoveredOnce(created(20));
    }

    private static ClusterStore expanded(int from, int to) throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", from, 6, 4);
        ClusterOperations.addNodes(d, "c", to - from);
        MigrationOperations.expand(d, "c");
        ClusterStore c = d.cluster("c");
        assertSlotsCoveredOnce(c);
        assertThat(c.epoch()).isEqualTo(d.globalEpoch());
        return c;
    }

    @Test
    void expand4to8() throws BrokerException {
        ClusterStore c = expanded(4, 8);
        assertThat(tasks(c)).containsExactly("(0,0)->(1,0): 4096-8191", "(0,1)->(1,1): 12288-16383");
        assertThat(stable(c)).containsExactly("0-4095", "8192-12287", "-", "-");
    }

    @Test
    void expand4to12() throws BrokerException {
        ClusterStore c = expanded(4, 12);
        assertThat(tasks(c)).containsExactly("(0,0)->(1,0): 5461-8191", "(0,0)->(1,1): 2731-5460", "(0,1)->(1,1): 16383-16383",
                "(0,1)->(2,0): 13653-16382", "(0,1)->(2,1): 10923-13652");
        assertThat(stable(c)).containsExactly("0-2730", "8192-10922", "-", "-", "-", "-");
    }

    @Test
    void expand8to12() throws BrokerException {
        ClusterStore c = expanded(8, 12);
        assertThat(tasks(c)).containsExactly("(0,0)->(2,0): 2731-4095", "(0,1)->(2,0): 6827-8191", "(1,0)->(2,1): 10923-12287",
                "(1,1)->(2,1): 15019-16383");
        assertThat(stable(c)).containsExactly("0-2730", "4096-6826", "8192-10922", "12288-15018", "-", "-");
    }

    @Test
    void expand8to16() throws BrokerException {
        ClusterStore c = expanded(8, 16);
        assertThat(tasks(c)).containsExactly("(0,0)->(2,0): 2048-4095", "(0,1)->(2,1): 6144-8191", "(1,0)->(3,0): 10240-12287",
                "(1,1)->(3,1): 14336-16383");
    }

    private static ClusterStore shrunk(int from, int to) throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", from, 6, 4);
        MigrationOperations.shrink(d, "c", to);
        ClusterStore c = d.cluster("c");
        assertSlotsCoveredOnce(c);
        return c;
    }

    @Test
    void shrink8to4() throws BrokerException {
        ClusterStore c = shrunk(8, 4);
        assertThat(tasks(c)).containsExactly("(1,0)->(0,0): 8192-12287", "(1,1)->(0,1): 12288-16383");
        assertThat(stable(c)).containsExactly("0-4095", "4096-8191", "-", "-");
    }

    @Test
    void shrink12to8() throws BrokerException {
        ClusterStore c = shrunk(12, 8);
        assertThat(tasks(c)).containsExactly("(2,0)->(0,0): 10924-12288", "(2,0)->(0,1): 12289-13653",
                "(2,1)->(1,0): 13654-15018", "(2,1)->(1,1): 15019-16383");
        assertThat(stable(c)).containsExactly("0-2730", "2731-5461", "5462-8192", "8193-10923", "-", "-");
    }

    @Test
    void shrink12to4() throws BrokerException {
        ClusterStore c = shrunk(12, 4);
        assertThat(tasks(c)).containsExactly("(1,0)->(0,0): 5462-8192", "(1,1)->(0,0): 8193-10922", "(1,1)->(0,1): 10923-10923",
                "(2,0)->(0,1): 10924-13653", "(2,1)->(0,1): 13654-16383");
        assertThat(stable(c)).containsExactly("0-2730", "2731-5461", "-", "-", "-", "-");
    }

    @Test
    void expandAndShrinkChecks() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 8, 6, 4);
        assertError(() -> MigrationOperations.expand(d, "c"), BrokerError.SLOTS_ALREADY_EVEN);
        assertError(() -> MigrationOperations.expand(d, "nope"), BrokerError.CLUSTER_NOT_FOUND);
        assertError(() -> MigrationOperations.expand(d, "bad name"), BrokerError.INVALID_CLUSTER_NAME);
        for (long n : new long[] {0, 6, 8, 12}) {
            assertError(() -> MigrationOperations.shrink(d, "c", n), BrokerError.INVALID_NODE_NUMBER);
        }
        MigrationOperations.shrink(d, "c", 4);
        assertError(() -> MigrationOperations.shrink(d, "c", 4), BrokerError.FREE_NODE_FOUND);
        StoreDraft e = Fixtures.withCluster("c", 4, 6, 4);
        ClusterOperations.addNodes(e, "c", 4);
        MigrationOperations.expand(e, "c");
        assertError(() -> MigrationOperations.expand(e, "c"), BrokerError.MIGRATION_RUNNING);
        assertError(() -> MigrationOperations.shrink(e, "c", 4), BrokerError.FREE_NODE_FOUND);
    }

    @Test
    void shrinkRefusesAnUnevenStoreInsteadOfLosingSlots() throws BrokerException {
        // destination 0 holds far more than its share: the reference would underflow here
        StoreDraft d = Fixtures.withCluster("c", 8, 6, 4);
        ClusterStore c = d.cluster("c");
        List<ChunkStore> chunks = new ArrayList<>(c.chunks());
        chunks.set(0, chunks.get(0).withStable(0, io.undermoon.model.SlotRange.stable(0, 12000))
                .withStable(1, io.undermoon.model.SlotRange.stable(12001, 12287)));
        d.putCluster(c.withChunks(chunks));
        assertError(() -> MigrationOperations.shrink(d, "c", 4), BrokerError.RESOURCE_NOT_BALANCE);
    }

    static void assertError(ThrowingRunnable r, BrokerError expected) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
