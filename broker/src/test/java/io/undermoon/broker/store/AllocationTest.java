package io.undermoon.broker.store;

import static io.undermoon.broker.store.SlotPlanningTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.MetaStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Chunk allocation across hosts (§4.2, §4.3) and ordered-proxy allocation (§4.5). */
class AllocationTest {

    @Test
    void allocationDistribution11Hosts3ProxiesEach() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(11, 3);
        ClusterOperations.createCluster(d, "big", 20, ClusterConfig.DEFAULT);
        Set<String> hosts = new HashSet<>();
        for (ChunkStore c : d.cluster("big").chunks()) {
            assertThat(c.hosts().get(0)).isNotEqualTo(c.hosts().get(1));
            hosts.addAll(c.hosts());
        }
        assertThat(hosts).as("10 proxies on 10 distinct hosts").hasSize(10);

        ClusterOperations.createCluster(d, "small", 4, ClusterConfig.DEFAULT);
        Map<String, Integer> used = new HashMap<>();
        for (String name : List.of("big", "small")) {
            for (ChunkStore c : d.cluster(name).chunks()) {
                c.hosts().forEach(h -> used.merge(h, 1, Integer::sum));
            }
        }
        assertThat(used).hasSize(11);
        assertThat(used.values()).allMatch(n -> n == 1 || n == 2);
    }

    @Test
    void proxiesOnOneHostCanNeverFormACluster() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(1, 8);
        assertError(() -> ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT), BrokerError.NO_AVAILABLE_RESOURCE);
        assertThat(d.cluster("c")).isNull();
    }

    @Test
    void anOverloadedHostIsTrimmedToHalfOfTheFreeProxies() throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(false));
        for (int i = 0; i < 5; i++) {
            ProxyOperations.addProxy(d, Fixtures.addRequest(0, i, null));
        }
        ProxyOperations.addProxy(d, Fixtures.addRequest(1, 0, null));
        // 6 free, 5 on one host: only 1 of them may pair with the other host's 1
        assertError(() -> ClusterOperations.createCluster(d, "c", 8, ClusterConfig.DEFAULT), BrokerError.NO_AVAILABLE_RESOURCE);
        ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT);
        assertThat(d.cluster("c").chunks().get(0).hosts()).containsExactlyInAnyOrder(Fixtures.host(0), Fixtures.host(1));
    }

    @Test
    void explicitHostsMakeOneMachineLookLikeTwo() throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(false));
        ProxyOperations.addProxy(d, new AddProxyRequest("127.0.0.1:6001", List.of("127.0.0.1:7001", "127.0.0.1:7002"), "localhost1", null));
        ProxyOperations.addProxy(d, new AddProxyRequest("127.0.0.1:6002", List.of("127.0.0.1:7003", "127.0.0.1:7004"), "localhost2", null));
        ClusterOperations.createCluster(d, "mycluster", 4, ClusterConfig.DEFAULT);
        ChunkStore c = d.cluster("mycluster").chunks().get(0);
        assertThat(c.proxyAddresses()).containsExactly("127.0.0.1:6001", "127.0.0.1:6002");
        assertThat(c.hosts()).containsExactly("localhost1", "localhost2");
        assertThat(c.nodeAddresses()).containsExactly("127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003", "127.0.0.1:7004");
    }

    @Test
    void failedOrReportedProxiesAreNotFree() throws BrokerException {
        StoreDraft d = Fixtures.withProxies(2, 1);
        ProxyOperations.addFailure(d, Fixtures.proxy(0, 0), "r", 1);
        assertError(() -> ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT), BrokerError.NO_AVAILABLE_RESOURCE);
        ProxyOperations.addProxy(d, Fixtures.addRequest(0, 0, null)); // re-registering clears the report
        ClusterOperations.createCluster(d, "c", 4, ClusterConfig.DEFAULT);
    }

    @Test
    void orderedModePairsByIndexAndRequiresContinuity() throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(true));
        assertError(() -> ProxyOperations.addProxy(d, Fixtures.addRequest(0, 0, null)), BrokerError.MISSING_SERVER_PROXY_INDEX);
        for (int i : new int[] {3, 0, 1, 2, 5, 6, 7}) {
            ProxyOperations.addProxy(d, Fixtures.addRequest(0, i, (long) i));
        }
        // index 4 is missing: 8 nodes need 0..3 only, fine; then adding 4 more needs 4..5
        ClusterOperations.createCluster(d, "c", 8, ClusterConfig.DEFAULT);
        List<String> order = d.cluster("c").proxyAddresses();
        assertThat(order).containsExactly(Fixtures.proxy(0, 0), Fixtures.proxy(0, 1), Fixtures.proxy(0, 2), Fixtures.proxy(0, 3));
        assertError(() -> ClusterOperations.addNodes(d, "c", 4), BrokerError.PROXY_RESOURCE_OUT_OF_ORDER);
        assertError(() -> ClusterOperations.createCluster(d, "d", 4, ClusterConfig.DEFAULT), BrokerError.ONE_CLUSTER_ALREADY_EXISTED);
        ProxyOperations.addProxy(d, Fixtures.addRequest(0, 4, 4L));
        ClusterOperations.addNodes(d, "c", 4);
        assertThat(d.cluster("c").chunks().get(2).proxyAddresses()).containsExactly(Fixtures.proxy(0, 4), Fixtures.proxy(0, 5));

        StoreDraft gap = StoreDraft.of(MetaStore.empty(true));
        for (int i : new int[] {0, 1, 3, 4}) {
            ProxyOperations.addProxy(gap, Fixtures.addRequest(0, i, (long) i));
        }
        assertError(() -> ClusterOperations.createCluster(gap, "c", 8, ClusterConfig.DEFAULT), BrokerError.PROXY_RESOURCE_OUT_OF_ORDER);
        ClusterOperations.createCluster(gap, "c", 4, ClusterConfig.DEFAULT);
    }

    @Test
    void resourceCheck() throws BrokerException {
        assertThat(ResourceCheck.hostsCannotFail(Fixtures.withProxies(4, 2).build())).isEmpty();
        assertThat(ResourceCheck.hostsCannotFail(Fixtures.withCluster("c", 12, 4, 2).build())).isEmpty();
        assertThat(ResourceCheck.hostsCannotFail(Fixtures.withCluster("c", 16, 4, 2).build())).isNotEmpty();
        MetaStore ordered = StoreDraft.of(MetaStore.empty(true)).build();
        assertThat(ResourceCheck.hostsCannotFail(ordered)).isEmpty();
    }
}
