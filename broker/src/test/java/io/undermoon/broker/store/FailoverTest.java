package io.undermoon.broker.store;

import static io.undermoon.broker.store.SlotPlanningTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.view.ClusterViews;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.ChunkRolePosition;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failover (§4.15), balance (§4.16) and their epoch rules. */
class FailoverTest {

    private static List<String> slots(NodeView n) {
        return n.slots().stream().map(SlotRange::toString).toList();
    }

    @Test
    void theSpecExampleTakeoverThenReplacementThenTheSurvivorFails() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 3, 2);
        ChunkStore chunk = d.cluster("c").chunks().get(0);
        String p0 = chunk.proxyAddresses().get(0);
        long before = d.globalEpoch();

        Outcome<String> o = Failover.replaceFailedProxy(d, p0);
        String replacement = ((Outcome.Done<String>) o).value();
        assertThat(replacement).isNotNull().isNotEqualTo(p0);
        assertThat(d.globalEpoch()).isEqualTo(before + 2);
        ClusterStore c = d.cluster("c");
        assertThat(c.epoch()).isEqualTo(d.globalEpoch());
        assertThat(c.chunks().get(0).rolePosition()).isEqualTo(ChunkRolePosition.SecondChunkMaster);
        ClusterView v = ClusterViews.cluster(c, 1);
        assertThat(v.nodes().get(3).repl().role()).isEqualTo(Role.MASTER);
        assertThat(slots(v.nodes().get(3))).containsExactly("1 0-8191");
        assertThat(v.nodes().get(2).repl().role()).isEqualTo(Role.MASTER);
        assertThat(slots(v.nodes().get(2))).containsExactly("1 8192-16383");
        assertThat(v.nodes().get(0).proxyAddress()).isEqualTo(replacement);
        assertThat(v.nodes().get(0).repl().role()).isEqualTo(Role.REPLICA);
        assertThat(v.nodes().get(1).repl().role()).isEqualTo(Role.REPLICA);
        // the failed proxy is freed, marked failed, and not reused
        assertThat(d.proxy(p0).cluster()).isNull();
        assertThat(d.isFailed(p0)).isTrue();
        assertThat(d.proxy(replacement).cluster()).isEqualTo("c");
        Fixtures.assertProxiesConsistent(d.build());
        // the replacement is not on the failed proxy's host
        assertThat(d.proxy(replacement).host()).isNotEqualTo(d.proxy(p0).host());

        // the survivor P1 fails too, before the replacement's replicas synced: refused, nothing changes
        String p1 = chunk.proxyAddresses().get(1);
        MetaStore beforeRefusal = d.build();
        assertError(() -> Failover.replaceFailedProxy(d, p1), BrokerError.REPLICA_NOT_SYNCED);
        assertThat(d.build()).isEqualTo(beforeRefusal);
        // once they have synced, P0's place (now the replacement) takes both masters
        Fixtures.syncAllReplicas(d);
        Failover.replaceFailedProxy(d, p1);
        ClusterStore c2 = d.cluster("c");
        assertThat(c2.chunks().get(0).rolePosition()).isEqualTo(ChunkRolePosition.FirstChunkMaster);
        ClusterView v2 = ClusterViews.cluster(c2, 1);
        assertThat(slots(v2.nodes().get(0))).containsExactly("1 0-8191");
        assertThat(slots(v2.nodes().get(1))).containsExactly("1 8192-16383");
        assertThat(v2.nodes().get(2).repl().role()).isEqualTo(Role.REPLICA);
        assertThat(v2.nodes().get(3).repl().role()).isEqualTo(Role.REPLICA);

        // a later failover call for the freed proxy takes the free branch: no epoch change
        long e = d.globalEpoch();
        assertThat(((Outcome.Done<String>) Failover.replaceFailedProxy(d, p0)).value()).isNull();
        assertThat(d.globalEpoch()).isEqualTo(e);
        assertError(() -> Failover.replaceFailedProxy(d, "10.9.9.9:1"), BrokerError.PROXY_NOT_FOUND);
    }

    @Test
    void withoutAFreeProxyTheTakeoverSticksAndEachRetryBumpsTheGlobalEpoch() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 2, 1);
        String p0 = d.cluster("c").chunks().get(0).proxyAddresses().get(0);
        long g = d.globalEpoch();
        Outcome<String> o = Failover.replaceFailedProxy(d, p0);
        assertThat(o).isEqualTo(Outcome.failedAfterChange(BrokerError.NO_AVAILABLE_RESOURCE));
        ClusterStore c = d.cluster("c");
        assertThat(c.chunks().get(0).rolePosition()).isEqualTo(ChunkRolePosition.SecondChunkMaster);
        assertThat(d.isFailed(p0)).isTrue();
        assertThat(d.globalEpoch()).isEqualTo(g + 1);
        assertThat(c.epoch()).isEqualTo(g + 1);
        assertThat(d.proxy(p0).cluster()).isEqualTo("c");

        Outcome<String> again = Failover.replaceFailedProxy(d, p0);
        assertThat(again).isEqualTo(Outcome.failedAfterChange(BrokerError.NO_AVAILABLE_RESOURCE));
        assertThat(d.globalEpoch()).isEqualTo(g + 2);
        assertThat(d.cluster("c").epoch()).as("the cluster epoch moves on the first call only").isEqualTo(g + 1);

        // balancing keeps the chunk with a failed proxy as it is, but still bumps the epochs
        ClusterOperations.balanceMasters(d, "c");
        assertThat(d.cluster("c").chunks().get(0).rolePosition()).isEqualTo(ChunkRolePosition.SecondChunkMaster);
        assertThat(d.cluster("c").epoch()).isEqualTo(g + 3);
    }

    @Test
    void balanceRestoresNormalRolesOnHealthyChunks() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 8, 4, 2);
        for (ChunkStore chunk : d.cluster("c").chunks()) {
            Failover.replaceFailedProxy(d, chunk.proxyAddresses().get(1));
        }
        assertThat(d.cluster("c").chunks()).noneMatch(c -> c.rolePosition() == ChunkRolePosition.Normal);
        // the old proxies' failure entries are gone (never reported here) and the chunks hold new proxies
        // whose replicas have synced
        Fixtures.syncAllReplicas(d);
        long e = d.cluster("c").epoch();
        ClusterOperations.balanceMasters(d, "c");
        assertThat(d.cluster("c").chunks()).allMatch(c -> c.rolePosition() == ChunkRolePosition.Normal);
        assertThat(d.cluster("c").epoch()).isGreaterThan(e);
        assertError(() -> ClusterOperations.balanceMasters(d, "nope"), BrokerError.CLUSTER_NOT_FOUND);
        assertError(() -> ClusterOperations.balanceMasters(d, "no/pe"), BrokerError.INVALID_CLUSTER_NAME);
    }

    @Test
    void aReportedProxyBlocksBalancingItsChunk() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 3, 2);
        String p1 = d.cluster("c").chunks().get(0).proxyAddresses().get(1);
        d.putCluster(d.cluster("c").withChunk(0, d.cluster("c").chunks().get(0).withRolePosition(ChunkRolePosition.FirstChunkMaster)));
        ProxyOperations.addFailure(d, p1, "coordinator-1", 100);
        ClusterOperations.balanceMasters(d, "c");
        assertThat(d.cluster("c").chunks().get(0).rolePosition()).isEqualTo(ChunkRolePosition.FirstChunkMaster);
    }

    @Test
    void failoverDuringMigrationResetsTheEpochOfTheTouchedTasksOnly() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 3);
        ClusterOperations.addNodes(d, "c", 4);
        MigrationOperations.expand(d, "c"); // (0,0)->(1,0) and (0,1)->(1,1)
        Fixtures.syncAllReplicas(d);
        ClusterStore c = d.cluster("c");
        long planned = c.epoch();
        // fail the destination proxy of the first task: chunk 1, P0 (part 0)
        String dst = c.chunks().get(1).proxyAddresses().get(0);
        Outcome<String> o = Failover.replaceFailedProxy(d, dst);
        assertThat(o).isInstanceOf(Outcome.Done.class);
        ClusterStore after = d.cluster("c");
        long t = after.epoch() - 1; // takeover epoch T, then replacement R = T + 1
        for (ChunkStore chunk : after.chunks()) {
            for (int p = 0; p < 2; p++) {
                for (MigrationSlotRangeStore r : chunk.migrating(p)) {
                    boolean touched = r.meta().touches(1, 0);
                    assertThat(r.meta().epoch()).as(Fixtures.describe(r)).isEqualTo(touched ? t : planned);
                }
            }
        }
        // the view names the new master of part (1,0): N3 of chunk 1 (SecondChunkMaster)
        ChunkStore c1 = after.chunks().get(1);
        ProxyView survivor = ClusterViews.proxy(d.build(), c1.proxyAddresses().get(1), 2);
        assertThat(survivor.nodes().stream().filter(NodeView::isMaster).map(NodeView::address))
                .containsExactly(c1.nodeAddresses().get(2), c1.nodeAddresses().get(3));
        // a second failover of the same (already replaced) proxy changes no task epoch
        Failover.replaceFailedProxy(d, dst);
        assertThat(d.cluster("c").chunks()).isEqualTo(after.chunks());
    }

    @Test
    void orderedModeOnlySwapsRoles() throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(true));
        for (int i = 0; i < 4; i++) {
            ProxyOperations.addProxy(d, Fixtures.addRequest(0, i, (long) i));
        }
        ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT);
        Fixtures.syncAllReplicas(d);
        String p0 = d.cluster("c").chunks().get(0).proxyAddresses().get(0);
        long g = d.globalEpoch();
        Outcome<String> o = Failover.replaceFailedProxy(d, p0);
        assertThat(o).isEqualTo(Outcome.done(null));
        assertThat(d.globalEpoch()).isEqualTo(g + 2);
        assertThat(d.cluster("c").epoch()).isEqualTo(g + 1);
        assertThat(d.isFailed(p0)).isFalse();
        assertThat(d.proxy(p0).cluster()).isEqualTo("c");
        ProxyView view = ClusterViews.proxy(d.build(), p0, 1);
        assertThat(view.nodes()).hasSize(2).allMatch(n -> n.repl().role() == Role.REPLICA);
    }
}
