package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.chaos.MetadataLedger.ClusterCreated;
import io.undermoon.chaos.MetadataLedger.ClusterDeleted;
import io.undermoon.chaos.MetadataLedger.ClusterScaled;
import io.undermoon.chaos.MetadataLedger.FinalStore;
import io.undermoon.chaos.MetadataLedger.ProxyRegistered;
import io.undermoon.model.Json;
import io.undermoon.model.broker.MetaStore;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataLedgerTest {

    private static FinalStore store(Set<String> proxies, Map<String, Integer> clusters) {
        return new FinalStore(proxies, clusters, Set.of());
    }

    @Test
    void everyAcknowledgedChangeThatTheStoreShowsHolds() {
        MetadataLedger l = new MetadataLedger();
        l.acknowledged(1, new ProxyRegistered("p1"));
        l.acknowledged(2, new ProxyRegistered("p2"));
        l.acknowledged(3, new ClusterCreated("main"));
        l.acknowledged(4, new ClusterScaled("main", 8));
        MetadataLedger.Verdict v = l.check(store(Set.of("p1", "p2", "p3"), Map.of("main", 8)));
        assertThat(v.lost()).isEmpty();
        assertThat(v.acknowledged()).isEqualTo(4);
    }

    @Test
    void aMissingProxyClusterOrSizeIsLost() {
        MetadataLedger l = new MetadataLedger();
        l.acknowledged(1, new ProxyRegistered("p1"));
        l.acknowledged(2, new ClusterCreated("main"));
        l.acknowledged(3, new ClusterCreated("extra"));
        l.acknowledged(4, new ClusterScaled("main", 8));
        MetadataLedger.Verdict v = l.check(store(Set.of(), Map.of("main", 4)));
        assertThat(v.lost()).hasSize(3).anySatisfy(s -> assertThat(s).contains("register proxy p1").contains("no proxy p1"))
                .anySatisfy(s -> assertThat(s).contains("create cluster extra"))
                .anySatisfy(s -> assertThat(s).contains("scale cluster main to 8 nodes").contains("has 4 nodes with slots"));
    }

    @Test
    void aLaterAcknowledgedChangeUndoesAnEarlierOne() {
        MetadataLedger l = new MetadataLedger();
        l.acknowledged(1, new ClusterCreated("extra"));
        l.acknowledged(2, new ClusterScaled("extra", 8));
        l.acknowledged(3, new ClusterDeleted("extra"));
        l.acknowledged(4, new ClusterCreated("main"));
        l.acknowledged(5, new ClusterScaled("main", 8));
        l.acknowledged(6, new ClusterScaled("main", 4));
        MetadataLedger.Verdict v = l.check(store(Set.of(), Map.of("main", 4)));
        assertThat(v.lost()).isEmpty();
        assertThat(v.superseded()).isEqualTo(3);
        // the deletion is the last word: a cluster that came back is a lost deletion
        assertThat(l.check(store(Set.of(), Map.of("main", 4, "extra", 4))).lost()).singleElement().asString()
                .contains("delete cluster extra").contains("still has cluster extra");
        // a recreated cluster after the deletion
        l.acknowledged(7, new ClusterCreated("extra"));
        assertThat(l.check(store(Set.of(), Map.of("main", 4, "extra", 4))).lost()).isEmpty();
        assertThat(l.check(store(Set.of(), Map.of("main", 4))).lost()).singleElement().asString().contains("create cluster extra");
    }

    @Test
    void aLaterChangeInDoubtExcusesAMismatchButNotAnUnrelatedOne() {
        MetadataLedger l = new MetadataLedger();
        l.acknowledged(1, new ClusterCreated("extra"));
        l.inDoubt(2, new ClusterDeleted("extra"));
        l.acknowledged(3, new ClusterCreated("main"));
        l.acknowledged(4, new ClusterScaled("main", 8));
        l.inDoubt(5, new ClusterScaled("main", 4));
        MetadataLedger.Verdict gone = l.check(store(Set.of(), Map.of("main", 4)));
        assertThat(gone.lost()).isEmpty();
        assertThat(gone.excused()).isEqualTo(2);
        assertThat(gone.inDoubt()).isEqualTo(2);
        // a change in doubt before the acknowledged one excuses nothing
        MetadataLedger m = new MetadataLedger();
        m.inDoubt(1, new ClusterDeleted("main"));
        m.acknowledged(2, new ClusterCreated("main"));
        assertThat(m.check(store(Set.of(), Map.of())).lost()).hasSize(1);
    }

    @Test
    void aScaleHoldsOnlyOnceNoMigrationIsPlanned() {
        MetadataLedger l = new MetadataLedger();
        l.acknowledged(1, new ClusterCreated("main"));
        l.acknowledged(2, new ClusterScaled("main", 4));
        assertThat(l.check(new FinalStore(Set.of(), Map.of("main", 4), Set.of("main"))).lost()).singleElement().asString()
                .contains("migration planned");
    }

    @Test
    void theFinalStoreIsReadFromTheBrokersMetadata() throws Exception {
        // one chunk: part 0 holds slots (a master and its replica), part 1 holds none (a scale-in left it free)
        String json = """
                {"version":"mem-broker-0.2","global_epoch":7,
                 "clusters":{"main":{"epoch":7,"name":"main","chunks":[
                   {"role_position":"Normal",
                    "stable_slots":[{"range_list":[[0,16383]],"tag":"None"},null],
                    "migrating_slots":[[],[]],
                    "proxy_addresses":["127.0.0.1:6001","127.0.0.1:6002"],
                    "hosts":["localhost1","localhost2"],
                    "node_addresses":["127.0.0.1:7001","127.0.0.1:7002","127.0.0.1:7003","127.0.0.1:7004"]}]}},
                 "all_proxies":{
                   "127.0.0.1:6001":{"proxy_address":"127.0.0.1:6001","node_addresses":["127.0.0.1:7001","127.0.0.1:7002"],
                     "host":"localhost1","index":0,"cluster":"main"},
                   "127.0.0.1:6002":{"proxy_address":"127.0.0.1:6002","node_addresses":["127.0.0.1:7003","127.0.0.1:7004"],
                     "host":"localhost2","index":0,"cluster":"main"}},
                 "failed_proxies":["127.0.0.1:6002"],"failures":{},"enable_ordered_proxy":false}
                """;
        FinalStore f = FinalStore.of(Json.mapper().readValue(json, MetaStore.class));
        assertThat(f.proxies()).containsExactlyInAnyOrder("127.0.0.1:6001", "127.0.0.1:6002");
        assertThat(f.nodesWithSlots()).containsExactly(Map.entry("main", 2));
        assertThat(f.migrating()).isEmpty();
    }
}
