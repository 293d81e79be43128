package io.undermoon.broker.store;

import static io.undermoon.broker.store.SlotPlanningTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.view.ClusterViews;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.ProxyView;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Proxies, failure reports and cluster lifecycle (the reference's store.rs assertions). */
class StoreOperationsTest {

    @Test
    void addAndRemoveProxy() throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(false));
        assertError(() -> ProxyOperations.addProxy(d, new AddProxyRequest("127.0.0.1", List.of("a:1", "a:2"), null, null)),
                BrokerError.INVALID_PROXY_ADDRESS);
        for (String bad : List.of("a:b:1", ":1", "a:", "a:0", "a:65536", "a:12x", "[::1]:6000")) {
            assertError(() -> ProxyOperations.addProxy(d, new AddProxyRequest(bad, List.of("a:1", "a:2"), null, null)),
                    BrokerError.INVALID_PROXY_ADDRESS);
        }
        for (List<String> bad : List.of(List.of("a:1", "a:1"), List.of("a", "a:2"), List.of("a:1", ":2"))) {
            assertError(() -> ProxyOperations.addProxy(d, new AddProxyRequest("a:6000", bad, null, null)), BrokerError.INVALID_NODE_ADDRESS);
        }
        assertThat(d.isChanged()).isFalse();
        ProxyOperations.addProxy(d, Fixtures.addRequest(0, 0, null));
        assertThat(d.globalEpoch()).isEqualTo(1);
        ProxyView v = ClusterViews.proxy(d.build(), Fixtures.proxy(0, 0), 1);
        assertThat(v.epoch()).isEqualTo(1);
        assertThat(v.clusterName()).isNull();
        assertThat(v.peers()).isEmpty();
        assertThat(v.nodes()).hasSize(2).allMatch(NodeView::isMaster).allMatch(n -> n.slots().isEmpty());

        // a second add: ALREADY_EXISTED, no epoch change, resource untouched
        assertError(() -> ProxyOperations.addProxy(d, new AddProxyRequest(Fixtures.proxy(0, 0), List.of("x:1", "x:2"), "other", null)),
                BrokerError.ALREADY_EXISTED);
        assertThat(d.globalEpoch()).isEqualTo(1);
        assertThat(d.proxy(Fixtures.proxy(0, 0)).nodeAddresses()).containsExactly(Fixtures.host(0) + ":7000", Fixtures.host(0) + ":7001");

        ProxyOperations.removeProxy(d, Fixtures.proxy(0, 0));
        assertThat(d.globalEpoch()).isEqualTo(2);
        assertError(() -> ProxyOperations.removeProxy(d, Fixtures.proxy(0, 0)), BrokerError.PROXY_NOT_FOUND);
    }

    @Test
    void hostDefaultsToTheAddressOrIsTakenAsGiven() throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(false));
        ProxyOperations.addProxy(d, new AddProxyRequest("127.0.0.1:6001", List.of("127.0.0.1:7001", "127.0.0.1:7002"), null, 9L));
        ProxyOperations.addProxy(d, new AddProxyRequest("127.0.0.1:6002", List.of("127.0.0.1:7003", "127.0.0.1:7004"), "localhost2", null));
        assertThat(d.proxy("127.0.0.1:6001").host()).isEqualTo("127.0.0.1");
        assertThat(d.proxy("127.0.0.1:6001").index()).as("index ignored outside ordered mode").isZero();
        assertThat(d.proxy("127.0.0.1:6002").host()).isEqualTo("localhost2");
    }

    @Test
    void failureReportsQuorumTtlAndRecovery() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(2, 2);
        String p = Fixtures.proxy(0, 0);
        long g = d.globalEpoch();
        assertThat(ProxyOperations.addFailure(d, p, "r1", 100)).isTrue();
        assertThat(d.globalEpoch()).isEqualTo(g + 1);
        assertThat(ProxyOperations.addFailure(d, p, "r1", 150)).isFalse();
        assertThat(d.failures().get(p)).containsEntry("r1", 100L);
        assertThat(d.globalEpoch()).isEqualTo(g + 1);
        assertThat(d.isFree(d.proxy(p))).isFalse();
        MetaStore s = d.build();
        assertThat(ProxyOperations.failedByQuorum(s, 110, 60, 1)).containsExactly(p);
        assertThat(ProxyOperations.failedByQuorum(s, 110, 60, 2)).isEmpty();
        assertThat(ProxyOperations.failedByQuorum(s, 160, 60, 1)).as("expired at exactly the TTL").isEmpty();
        ProxyOperations.addFailure(d, p, "r2", 120);
        ProxyOperations.addFailure(d, "10.9.9.9:1", "r1", 120); // not registered: never listed
        assertThat(ProxyOperations.failedByQuorum(d.build(), 130, 60, 2)).containsExactly(p);
        assertThat(ProxyOperations.failedByQuorum(d.build(), 130, 60, 1)).containsExactly(p);

        long before = d.globalEpoch();
        assertThat(ProxyOperations.purgeExpiredFailures(d, 170, 60)).isTrue(); // r1 (100) expired, r2 (120) not
        assertThat(d.failures().get(p)).containsOnlyKeys("r2");
        assertThat(d.globalEpoch()).isEqualTo(before);
        assertThat(ProxyOperations.purgeExpiredFailures(d, 171, 60)).isFalse();

        // re-adding clears the reports: ALREADY_EXISTED after change, epoch +1
        Outcome<Void> o = ProxyOperations.addProxy(d, Fixtures.addRequest(0, 0, null));
        assertThat(o).isEqualTo(Outcome.failedAfterChange(BrokerError.ALREADY_EXISTED));
        assertThat(d.globalEpoch()).isEqualTo(before + 1);
        assertThat(d.hasFailures(p)).isFalse();
        assertThat(d.isFree(d.proxy(p))).isTrue();
        ProxyOperations.removeProxy(d, Fixtures.proxy(0, 1));
        assertThat(d.globalEpoch()).isEqualTo(before + 2);
    }

    @Test
    void addAndRemoveCluster() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(3, 2);
        long g = d.globalEpoch();
        ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT);
        ClusterStore c = d.cluster("c");
        assertThat(d.globalEpoch()).isEqualTo(g + 1);
        assertThat(c.epoch()).isEqualTo(g + 1);
        assertThat(ClusterViews.cluster(c, 1).nodes()).hasSize(4);
        Fixtures.assertSlotsCoveredOnce(c);
        assertThat(ClusterViews.info(c, 1).nodeNumberWithSlots()).isEqualTo(4);
        assertThat(ClusterViews.info(c, 1).isMigrating()).isFalse();
        Set<String> nodes = new HashSet<>(c.chunks().get(0).nodeAddresses());
        assertThat(nodes).hasSize(4);
        for (String p : c.proxyAddresses()) {
            ProxyView v = ClusterViews.proxy(d.build(), p, 1);
            assertThat(v.clusterName()).isEqualTo("c");
            assertThat(v.nodes()).hasSize(2);
            assertThat(v.peers()).hasSize(1);
            assertThat(v.epoch()).isEqualTo(c.epoch());
        }
        assertError(() -> ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT), BrokerError.ALREADY_EXISTED);
        assertError(() -> ClusterOperations.createCluster(d, "x".repeat(32), 4, ClusterConfig.DEFAULT), BrokerError.INVALID_CLUSTER_NAME);
        assertError(() -> ClusterOperations.createCluster(d, "a b", 4, ClusterConfig.DEFAULT), BrokerError.INVALID_CLUSTER_NAME);
        for (long n : new long[] {0, 3, 6}) {
            assertError(() -> ClusterOperations.createCluster(d, "e", n, ClusterConfig.DEFAULT), BrokerError.INVALID_NODE_NUMBER);
        }
        assertError(() -> ClusterOperations.createCluster(d, "e", 12, ClusterConfig.DEFAULT), BrokerError.NO_AVAILABLE_RESOURCE);
        ClusterOperations.createCluster(d, "x".repeat(31), 4, ClusterConfig.DEFAULT);

        long before = d.globalEpoch();
        ClusterOperations.removeCluster(d, "c");
        assertThat(d.globalEpoch()).isEqualTo(before + 1);
        for (String p : c.proxyAddresses()) {
            assertThat(d.proxy(p).cluster()).isNull();
        }
        assertError(() -> ClusterOperations.removeCluster(d, "c"), BrokerError.CLUSTER_NOT_FOUND);
        assertError(() -> ClusterOperations.removeCluster(d, "c!"), BrokerError.INVALID_CLUSTER_NAME);
        Fixtures.assertProxiesConsistent(d.build());
    }

    @Test
    void addAndDeleteFreeNodes() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 2);
        long g = d.globalEpoch();
        int before = ClusterOperations.addNodes(d, "c", 4);
        assertThat(before).isEqualTo(4);
        assertThat(d.cluster("c").nodeNumber()).isEqualTo(8);
        assertThat(d.cluster("c").epoch()).isEqualTo(g + 1);
        assertThat(ClusterViews.cluster(d.cluster("c"), 1).nodes().subList(4, 8)).allMatch(n -> n.slots().isEmpty());
        assertError(() -> ClusterOperations.scaleNodesTo(d, "c", 8), BrokerError.NODE_NUM_ALREADY_ENOUGH);
        assertError(() -> ClusterOperations.scaleNodesTo(d, "c", 10), BrokerError.INVALID_NODE_NUMBER);
        assertError(() -> ClusterOperations.addNodes(d, "c", 2), BrokerError.INVALID_NODE_NUMBER);
        assertError(() -> ClusterOperations.addNodes(d, "c", 12), BrokerError.NO_AVAILABLE_RESOURCE);
        ClusterOperations.deleteFreeNodes(d, "c");
        assertThat(d.cluster("c").nodeNumber()).isEqualTo(4);
        assertThat(d.cluster("c").epoch()).isEqualTo(g + 2);
        assertError(() -> ClusterOperations.deleteFreeNodes(d, "c"), BrokerError.FREE_NODE_NOT_FOUND);
        long free = d.proxies().values().stream().filter(d::isFree).count();
        assertThat(free).isEqualTo(6);
        ClusterOperations.scaleNodesTo(d, "c", 8);
        assertThat(d.cluster("c").nodeNumber()).isEqualTo(8);
        Fixtures.assertProxiesConsistent(d.build());
    }

    @Test
    void configChangesAreAllOrNothing() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 2);
        assertThat(d.cluster("c").config().compressionStrategy()).isEqualTo(CompressionStrategy.DISABLED);
        long e = d.cluster("c").epoch();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("compression_strategy", "set_get_only");
        bad.put("migration_scan_count", "0");
        bad.put("nope", "1");
        try {
            ClusterOperations.changeConfig(d, "c", bad);
        } catch (BrokerException ex) {
            assertThat(ex.error()).isEqualTo(BrokerError.INVALID_CONFIG);
            assertThat(ex.details()).isEqualTo(Map.of("key", "migration_scan_count", "value", "0", "message", "INVALID_VALUE"));
        }
        assertThat(d.cluster("c").config()).isEqualTo(ClusterConfig.DEFAULT);
        ClusterOperations.changeConfig(d, "c", Map.of("compression_strategy", "set_get_only"));
        assertThat(d.cluster("c").config().compressionStrategy()).isEqualTo(CompressionStrategy.SET_GET_ONLY);
        assertThat(d.cluster("c").epoch()).isGreaterThan(e);
        ClusterOperations.changeConfig(d, "c", Map.of());
        ClusterOperations.addNodes(d, "c", 4);
        MigrationOperations.expand(d, "c");
        assertError(() -> ClusterOperations.changeConfig(d, "c", Map.of("compression_strategy", "allow_all")),
                BrokerError.MIGRATION_RUNNING);
    }

    @Test
    void autoScaleNoOpAfterDeletingFreeChunks() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 2);
        ClusterOperations.addNodes(d, "c", 4);
        AutoScale.Prepared p = AutoScale.prepare(d, "c", 4);
        assertThat(p.kind()).isEqualTo(AutoScale.Kind.NO_OP);
        assertThat(d.cluster("c").nodeNumber()).isEqualTo(4);
        AutoScale.Prepared out = AutoScale.prepare(d, "c", 8);
        assertThat(out.kind()).isEqualTo(AutoScale.Kind.SCALE_OUT);
        assertThat(out.proxyAddresses()).hasSize(4);
        assertThat(out.clusterEpoch()).isEqualTo(d.cluster("c").epoch());
        AutoScale.finishScaleOut(d, "c", 8);
        assertThat(d.cluster("c").isMigrating()).isTrue();
        assertError(() -> AutoScale.prepare(d, "c", 4), BrokerError.MIGRATION_RUNNING);
        StoreDraft e = Fixtures.withCluster("c", 8, 4, 2);
        assertThat(AutoScale.prepare(e, "c", 4).kind()).isEqualTo(AutoScale.Kind.SCALE_DOWN);
        assertError(() -> AutoScale.prepare(Fixtures.withCluster("c", 8, 4, 2), "c", 0), BrokerError.INVALID_NODE_NUMBER);
        assertError(() -> AutoScale.prepare(Fixtures.withCluster("c", 4, 4, 2), "c", 6), BrokerError.INVALID_NODE_NUMBER);
    }

    @Test
    void epochsBumpAndRecovery() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 2);
        assertError(() -> EpochOperations.forceBump(d, d.globalEpoch()), BrokerError.EPOCH_SMALLER_THAN_CURRENT);
        EpochOperations.forceBump(d, 233);
        assertThat(d.globalEpoch()).isEqualTo(233);
        assertThat(d.cluster("c").epoch()).isEqualTo(233);
        assertThat(EpochOperations.recover(d, 300)).isEqualTo(302);
        assertThat(d.cluster("c").epoch()).isEqualTo(302);
        assertThat(EpochOperations.recover(d, 0)).isEqualTo(303);
        assertThat(d.globalEpoch()).isEqualTo(303);
    }

    /**
     * Regression (HTTP fuzzing): PUT /epoch/9223372036854775807 was accepted, after which every change
     * overflowed the epoch and failed with INTERNAL_ERROR, for good; a proxy reporting such an epoch
     * made the recovery fail the same way.
     */
    @Test
    void epochsFromOutsideLeaveRoomForBumps() throws BrokerException {
        StoreDraft d = Fixtures.withCluster("c", 4, 4, 2);
        assertError(() -> EpochOperations.forceBump(d, Long.MAX_VALUE), BrokerError.INVALID_REQUEST);
        assertError(() -> EpochOperations.forceBump(d, EpochOperations.MAX_EPOCH + 1), BrokerError.INVALID_REQUEST);
        assertError(() -> EpochOperations.recover(d, Long.MAX_VALUE), BrokerError.INVALID_METADATA);
        assertError(() -> EpochOperations.recover(d, EpochOperations.MAX_EPOCH - 1), BrokerError.INVALID_METADATA);
        EpochOperations.forceBump(d, EpochOperations.MAX_EPOCH);
        assertThat(d.bumpGlobalEpoch()).isEqualTo(EpochOperations.MAX_EPOCH + 1);
        assertThat(EpochOperations.recover(d, EpochOperations.MAX_EPOCH - 2)).isEqualTo(EpochOperations.MAX_EPOCH + 2);
    }
}
