package io.undermoon.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.view.ClusterViews;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.broker.ChunkRolePosition;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ReplicaSyncResult;
import io.undermoon.model.broker.ReplicaSyncState;
import io.undermoon.model.broker.UnsyncedReplica;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failovers never promote, on their own, a replica that has not completed a sync of its master
 * (ours): the sync state per (master, replica) pair, how reports set it, how topology changes reset
 * it, and the broker's choices (failover, balance) around it.
 */
class ReplicaSyncFailoverTest {

    /** A fresh cluster: no replica has reported a sync yet. */
    private static StoreDraft freshCluster(int nodes, int hosts, int perHost) throws BrokerException {
        StoreDraft d = Fixtures.withProxies(hosts, perHost);
        ClusterOperations.createCluster(d, "c", nodes, ClusterConfig.DEFAULT);
        return d;
    }

    private static BrokerException expectError(SlotPlanningTest.ThrowingRunnable r, BrokerError expected) {
        try {
            r.run();
        } catch (BrokerException e) {
            assertThat(e.error()).isEqualTo(expected);
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected " + expected + ", got " + e, e);
        }
        throw new AssertionError("expected " + expected + ", nothing was thrown");
    }

    private static void assertError(SlotPlanningTest.ThrowingRunnable r, BrokerError expected) {
        expectError(r, expected);
    }

    private static ChunkStore chunk0(StoreDraft d) {
        return d.cluster("c").chunks().get(0);
    }

    private static ReplicaSyncState synced(ChunkStore chunk, int part, boolean synced) {
        return new ReplicaSyncState(chunk.replicaOf(part), chunk.masterOf(part), synced);
    }

    @Test
    void aMasterWhoseReplicaNeverSyncedIsNotFailedOverAndNothingChanges() throws BrokerException {
        StoreDraft d = freshCluster(4, 3, 2);
        ChunkStore chunk = chunk0(d);
        String p0 = chunk.proxyAddresses().get(0);
        MetaStore before = d.build();

        BrokerException e = expectError(() -> Failover.replaceFailedProxy(d, p0), BrokerError.REPLICA_NOT_SYNCED);
        assertThat(e.getMessage()).contains("proxy " + p0, "replica " + chunk.replicaOf(0),
                "master " + chunk.masterOf(0), "failover_losing_data/" + p0);
        assertThat(e.error().status()).isEqualTo(409);
        // no takeover, no epoch bump, no failed mark: the store is the one before the call
        assertThat(d.build()).isEqualTo(before);
        assertThat(d.isFailed(p0)).isFalse();
        assertThat(Failover.unsyncedPromotions(before, p0)).hasSize(1);
    }

    @Test
    void theOperatorCanForceThePromotionKnowingTheDataIsLost() throws BrokerException {
        StoreDraft d = freshCluster(4, 3, 2);
        String p0 = chunk0(d).proxyAddresses().get(0);
        Outcome<String> o = Failover.replaceFailedProxy(d, p0, true);
        assertThat(((Outcome.Done<String>) o).value()).isNotNull();
        assertThat(chunk0(d).rolePosition()).isEqualTo(ChunkRolePosition.SecondChunkMaster);
        assertThat(d.isFailed(p0)).isTrue();
    }

    @Test
    void onlyTheMastersOnTheFailedProxyNeedASyncedReplica() throws BrokerException {
        StoreDraft d = freshCluster(4, 3, 2);
        ChunkStore chunk = chunk0(d);
        // part 0's master is on P0, part 1's on P1 (Normal); only part 0's replica has synced
        ReplicaSyncOperations.apply(d, List.of(synced(chunk, 0, true)));
        String p1 = chunk.proxyAddresses().get(1);
        assertError(() -> Failover.replaceFailedProxy(d, p1), BrokerError.REPLICA_NOT_SYNCED);
        // P0's failure promotes part 0's replica only (part 1 keeps its master on P1): allowed
        String p0 = chunk.proxyAddresses().get(0);
        assertThat(Failover.replaceFailedProxy(d, p0)).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void aProxyHoldingBothMastersNeedsBothReplicasSynced() throws BrokerException {
        StoreDraft d = freshCluster(4, 3, 2);
        d.putCluster(d.cluster("c").withChunk(0, chunk0(d).withRolePosition(ChunkRolePosition.FirstChunkMaster)));
        ChunkStore chunk = chunk0(d);
        String p0 = chunk.proxyAddresses().get(0);
        ReplicaSyncOperations.apply(d, List.of(synced(chunk, 0, true)));
        BrokerException e = expectError(() -> Failover.replaceFailedProxy(d, p0), BrokerError.REPLICA_NOT_SYNCED);
        assertThat(e.getMessage()).contains(chunk.replicaOf(1)).doesNotContain("replica " + chunk.replicaOf(0) + " ");
        ReplicaSyncOperations.apply(d, List.of(synced(chunk0(d), 1, true)));
        assertThat(Failover.replaceFailedProxy(d, p0)).isInstanceOf(Outcome.Done.class);
        // and the partner, which holds no master, could always be failed over
        StoreDraft other = freshCluster(4, 3, 2);
        other.putCluster(other.cluster("c").withChunk(0, chunk0(other).withRolePosition(ChunkRolePosition.FirstChunkMaster)));
        assertThat(Failover.replaceFailedProxy(other, chunk0(other).proxyAddresses().get(1))).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void aMasterWithoutDataCanBeReplacedByAnUnsyncedReplica() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 3); // synced
        ClusterOperations.addNodes(d, "c", 4); // chunk 1: no slots, replicas not synced
        ChunkStore added = d.cluster("c").chunks().get(1);
        assertThat(added.holdsData(0)).isFalse();
        assertThat(Failover.replaceFailedProxy(d, added.proxyAddresses().get(0))).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void anImportingMasterHoldsData() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 3);
        ClusterOperations.addNodes(d, "c", 4);
        MigrationOperations.expand(d, "c"); // chunk 1 imports
        ChunkStore added = d.cluster("c").chunks().get(1);
        assertThat(added.holdsData(0)).isTrue();
        assertError(() -> Failover.replaceFailedProxy(d, added.proxyAddresses().get(0)), BrokerError.REPLICA_NOT_SYNCED);
    }

    @Test
    void theSyncStateBelongsToTheMasterReplicaPair() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 3, 2); // every replica synced
        ChunkStore chunk = chunk0(d);
        String p0 = chunk.proxyAddresses().get(0);
        Failover.replaceFailedProxy(d, p0);
        ChunkStore after = chunk0(d);
        // part 0: new master N3 and a new replica (the replacement's N0): not synced; part 1 keeps
        // its master N2 but gets a new replica (the replacement's N1): not synced either
        assertThat(after.replicaSynced(0)).isFalse();
        assertThat(after.replicaSynced(1)).isFalse();
        assertThat(ClusterViews.unsyncedReplicas(d.cluster("c"))).extracting(UnsyncedReplica::replica)
                .containsExactly(after.replicaOf(0), after.replicaOf(1));

        // a takeover alone keeps the flag of the part whose pair did not change
        ChunkStore synced = chunk.withReplicaSynced(0, true).withReplicaSynced(1, true);
        ChunkStore taken = synced.withRolePosition(ChunkRolePosition.SecondChunkMaster);
        assertThat(taken.replicaSynced(0)).isFalse();
        assertThat(taken.replicaSynced(1)).isTrue();
        assertThat(taken.withRolePosition(ChunkRolePosition.SecondChunkMaster)).isEqualTo(taken);
    }

    @Test
    void reportsApplyToCurrentPairsOnlyAndChangeNoEpoch() throws BrokerException {
        StoreDraft d = freshCluster(4, 3, 2);
        ChunkStore chunk = chunk0(d);
        long epoch = d.globalEpoch();
        long clusterEpoch = d.cluster("c").epoch();
        ReplicaSyncState stale = new ReplicaSyncState(chunk.replicaOf(0), chunk.masterOf(1), true);
        ReplicaSyncState unknown = new ReplicaSyncState("10.9.9.9:1", chunk.masterOf(0), true);
        ReplicaSyncResult r = ReplicaSyncOperations.apply(d, List.of(synced(chunk, 0, true), stale, unknown));
        assertThat(r.changed()).containsExactly(chunk.replicaOf(0));
        assertThat(r.ignored()).containsExactlyInAnyOrder(chunk.replicaOf(0), "10.9.9.9:1");
        assertThat(chunk0(d).replicaSynced(0)).isTrue();
        assertThat(chunk0(d).replicaSynced(1)).isFalse();
        assertThat(d.globalEpoch()).isEqualTo(epoch);
        assertThat(d.cluster("c").epoch()).isEqualTo(clusterEpoch);

        // the same report again writes nothing
        StoreDraft again = StoreDraft.of(d.build());
        assertThat(ReplicaSyncOperations.apply(again, List.of(synced(chunk, 0, true))).changed()).isEmpty();
        assertThat(again.isChanged()).isFalse();
        // a replica that lost its data (restarted) is reported not synced
        ReplicaSyncOperations.apply(d, List.of(synced(chunk, 0, false)));
        assertThat(chunk0(d).replicaSynced(0)).isFalse();
    }

    @Test
    void balanceNeverPromotesAReplicaThatHasNotSynced() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 3, 2);
        String p0 = chunk0(d).proxyAddresses().get(0);
        Failover.replaceFailedProxy(d, p0); // SecondChunkMaster; the replacement's replicas have not synced
        ClusterOperations.balanceMasters(d, "c");
        assertThat(chunk0(d).rolePosition()).as("balancing would make the empty replica master of part 0")
                .isEqualTo(ChunkRolePosition.SecondChunkMaster);
        ReplicaSyncOperations.apply(d, List.of(synced(chunk0(d), 0, true)));
        ClusterOperations.balanceMasters(d, "c");
        assertThat(chunk0(d).rolePosition()).isEqualTo(ChunkRolePosition.Normal);
        // the pair of part 0 is reversed now: the old master has to sync from the new one
        assertThat(chunk0(d).replicaSynced(0)).isFalse();
    }

    @Test
    void theClusterInfoShowsTheSingleCopyWindow() throws BrokerException {
        StoreDraft d = freshCluster(4, 3, 2);
        ClusterInfo info = ClusterViews.info(d.cluster("c"), 1);
        assertThat(info.replicasNotSynced()).hasSize(2);
        ChunkStore chunk = chunk0(d);
        assertThat(info.replicasNotSynced().get(0)).isEqualTo(new UnsyncedReplica(chunk.masterOf(0),
                chunk.proxyAddresses().get(0), chunk.replicaOf(0), chunk.proxyAddresses().get(1)));
        Fixtures.syncAllReplicas(d);
        assertThat(ClusterViews.info(d.cluster("c"), 1).replicasNotSynced()).isEmpty();
    }
}
