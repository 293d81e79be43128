package io.undermoon.broker.store;

import static io.undermoon.broker.store.SlotPlanningTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The epoch table of spec §4.19, row by row: global epoch delta and the resulting cluster epoch. */
class EpochTableTest {

    private long g;

    private void mark(StoreDraft d) {
        g = d.globalEpoch();
    }

    private void assertGlobal(StoreDraft d, long delta) {
        assertThat(d.globalEpoch()).isEqualTo(g + delta);
    }

    private static long cluster(StoreDraft d) {
        return d.cluster("c").epoch();
    }

    @Test
    void proxiesAndFailures() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(3, 2);
        mark(d);
        ProxyOperations.addProxy(d, Fixtures.addRequest(5, 0, null)); // new
        assertGlobal(d, 1);
        mark(d);
        assertError(() -> ProxyOperations.addProxy(d, Fixtures.addRequest(5, 0, null)), BrokerError.ALREADY_EXISTED); // nothing cleared
        assertGlobal(d, 0);
        ProxyOperations.addFailure(d, Fixtures.proxy(5, 0), "r", 1); // new reporter
        assertGlobal(d, 1);
        mark(d);
        ProxyOperations.addFailure(d, Fixtures.proxy(5, 0), "r", 2); // duplicate
        assertGlobal(d, 0);
        ProxyOperations.purgeExpiredFailures(d, 100, 60); // get failures
        assertGlobal(d, 0);
        ProxyOperations.addFailure(d, Fixtures.proxy(5, 0), "r", 100);
        mark(d);
        assertThat(ProxyOperations.addProxy(d, Fixtures.addRequest(5, 0, null))) // failure state cleared
                .isEqualTo(Outcome.failedAfterChange(BrokerError.ALREADY_EXISTED));
        assertGlobal(d, 1);
        mark(d);
        Failover.replaceFailedProxy(d, Fixtures.proxy(5, 0)); // failover of a free proxy
        assertGlobal(d, 0);
        ProxyOperations.removeProxy(d, Fixtures.proxy(5, 0));
        assertGlobal(d, 1);
    }

    @Test
    void clusterLifecycle() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(4, 4);
        mark(d);
        ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT);
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        mark(d);
        ClusterOperations.addNodes(d, "c", 4);
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        mark(d);
        ClusterOperations.deleteFreeNodes(d, "c");
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        mark(d);
        ClusterOperations.scaleNodesTo(d, "c", 8);
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        mark(d);
        MigrationOperations.expand(d, "c");
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        for (int part = 0; part < 2; part++) {
            MigrationSlotRangeStore r = d.cluster("c").chunks().get(0).migrating(part).get(0);
            mark(d);
            MigrationOperations.commit(d, new MigrationTaskMeta("c", new SlotRange(r.rangeList(),
                    new SlotRangeTag.Migrating(new MigrationMeta(r.meta().epoch(), "a:1", "a:2", "b:1", "b:2")))));
            assertGlobal(d, 1);
            assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        }
        mark(d);
        ClusterOperations.changeConfig(d, "c", Map.of("compression_strategy", "allow_all"));
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        mark(d);
        ClusterOperations.balanceMasters(d, "c");
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        mark(d);
        ClusterOperations.removeCluster(d, "c");
        assertGlobal(d, 1);
    }

    @Test
    void expandAndShrinkStartsAndTheirFailures() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 8, 4, 4);
        mark(d);
        MigrationOperations.shrink(d, "c", 4);
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());
        // the reference raises the epoch even when the start fails; through the storage a failed
        // call changes nothing at all
        var storage = new io.undermoon.broker.service.LocalStorage(d.build(), null, false, java.time.Duration.ZERO);
        MetaStore before = storage.snapshot();
        assertError(() -> storage.mutate(io.undermoon.broker.service.Mutation.run(x -> MigrationOperations.expand(x, "c"))),
                BrokerError.MIGRATION_RUNNING);
        assertError(() -> storage.mutate(io.undermoon.broker.service.Mutation.run(x -> MigrationOperations.shrink(x, "c", 4))),
                BrokerError.FREE_NODE_FOUND);
        assertThat(storage.snapshot()).isSameAs(before);
    }

    @Test
    void failovers() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 3, 1);
        String p0 = d.cluster("c").chunks().get(0).proxyAddresses().get(0);
        mark(d);
        Failover.replaceFailedProxy(d, p0); // success: T then R
        assertGlobal(d, 2);
        assertThat(cluster(d)).isEqualTo(d.globalEpoch());

        String p1 = d.cluster("c").chunks().get(0).proxyAddresses().get(1);
        Fixtures.syncAllReplicas(d); // the replacement's replicas synced: no epoch change
        mark(d);
        assertThat(Failover.replaceFailedProxy(d, p1)).isEqualTo(Outcome.failedAfterChange(BrokerError.NO_AVAILABLE_RESOURCE));
        assertGlobal(d, 1);
        long t = cluster(d);
        assertThat(t).isEqualTo(d.globalEpoch());
        mark(d);
        Failover.replaceFailedProxy(d, p1); // no replacement again: +1, cluster unchanged
        assertGlobal(d, 1);
        assertThat(cluster(d)).isEqualTo(t);

        StoreDraft ordered = StoreDraft.of(MetaStore.empty(true));
        for (int i = 0; i < 2; i++) {
            ProxyOperations.addProxy(ordered, Fixtures.addRequest(0, i, (long) i));
        }
        ClusterOperations.createCluster(ordered, "c", 4, ClusterConfig.DEFAULT);
        Fixtures.syncAllReplicas(ordered);
        mark(ordered);
        Failover.replaceFailedProxy(ordered, Fixtures.proxy(0, 0));
        assertGlobal(ordered, 2);
        assertThat(cluster(ordered)).isEqualTo(ordered.globalEpoch() - 1);
    }

    @Test
    void forcedAndRecoveredEpochs() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 3, 1);
        EpochOperations.forceBump(d, 233);
        assertThat(d.globalEpoch()).isEqualTo(233);
        assertThat(cluster(d)).isEqualTo(233);
        assertThat(EpochOperations.recover(d, 1000)).isEqualTo(1002);
        assertThat(cluster(d)).isEqualTo(1002);
        assertThat(EpochOperations.recover(d, 10)).isEqualTo(1003);
        assertThat(cluster(d)).isEqualTo(1003);
    }
}
