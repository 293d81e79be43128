package io.undermoon.model.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.Json;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreJsonTest {
    private final ObjectMapper json = Json.mapper();

    static final String MIGRATION_RECORD = """
            { "range_list": [[4096, 8191]], "is_migrating": true,
              "meta": { "epoch": 9, "src_chunk_index": 0, "src_chunk_part": 0, "dst_chunk_index": 1, "dst_chunk_part": 0 } }""";

    static final String PROXY = """
            { "proxy_address": "127.0.0.1:6001",
              "node_addresses": ["127.0.0.1:7001", "127.0.0.1:7002"],
              "host": "localhost1",
              "index": 0,
              "cluster": "mycluster" }""";

    /** A 4 -> 8 expansion in flight: chunk 0 part 0 migrates 4096-8191 to chunk 1 part 0. */
    static final String STORE = """
            {
              "version": "mem-broker-0.2",
              "global_epoch": 12,
              "clusters": {
                "mycluster": {
                  "epoch": 9, "name": "mycluster",
                  "config": { "compression_strategy": "disabled",
                    "migration_config": { "max_migration_time": 10800, "max_blocking_time": 10000, "scan_interval": 500, "scan_count": 16 } },
                  "chunks": [
                    { "role_position": "Normal",
                      "stable_slots": [ {"range_list": [[0, 4095]], "tag": "None"}, {"range_list": [[8192, 16383]], "tag": "None"} ],
                      "migrating_slots": [ [ %1$s ], [] ],
                      "proxy_addresses": ["127.0.0.1:6001", "127.0.0.1:6002"],
                      "hosts": ["localhost1", "localhost2"],
                      "node_addresses": ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003", "127.0.0.1:7004"] },
                    { "role_position": "SecondChunkMaster",
                      "stable_slots": [ null, null ],
                      "migrating_slots": [ [ { "range_list": [[4096, 8191]], "is_migrating": false,
                              "meta": { "epoch": 9, "src_chunk_index": 0, "src_chunk_part": 0, "dst_chunk_index": 1, "dst_chunk_part": 0 } } ], [] ],
                      "proxy_addresses": ["127.0.0.1:6003", "127.0.0.1:6004"],
                      "hosts": ["localhost1", "localhost2"],
                      "node_addresses": ["127.0.0.1:7005", "127.0.0.1:7006", "127.0.0.1:7007", "127.0.0.1:7008"] }
                  ] } },
              "all_proxies": { "127.0.0.1:6001": %2$s },
              "failed_proxies": ["127.0.0.1:6009"],
              "failures": { "127.0.0.1:6009": { "127.0.0.1:6699": 1700000000 } },
              "enable_ordered_proxy": false
            }""".formatted(MIGRATION_RECORD, PROXY);

    @Test
    void metaStoreRoundTripsTheSpecShape() throws Exception {
        MetaStore store = json.readValue(STORE, MetaStore.class);
        assertThat(store.version()).isEqualTo(MetaStore.VERSION);
        assertThat(store.globalEpoch()).isEqualTo(12);
        ClusterStore cluster = store.clusters().get("mycluster");
        assertThat(cluster.epoch()).isEqualTo(9);
        assertThat(cluster.config()).isEqualTo(ClusterConfig.DEFAULT);
        assertThat(cluster.isMigrating()).isTrue();
        assertThat(cluster.nodeNumber()).isEqualTo(8);
        ChunkStore c0 = cluster.chunks().get(0);
        assertThat(c0.stable(0)).isEqualTo(SlotRange.stable(0, 4095));
        assertThat(c0.migrating(0)).containsExactly(new MigrationSlotRangeStore(
                RangeList.of(new Range(4096, 8191)), true, new MigrationMetaStore(9, 0, 0, 1, 0)));
        assertThat(c0.nodesOf(1)).containsExactly("127.0.0.1:7003", "127.0.0.1:7004");
        ChunkStore c1 = cluster.chunks().get(1);
        assertThat(c1.rolePosition()).isEqualTo(ChunkRolePosition.SecondChunkMaster);
        assertThat(c1.stableSlots()).containsExactly(null, null);
        assertThat(c1.hasNoStableSlots()).isTrue();
        assertThat(store.allProxies().get("127.0.0.1:6001").cluster()).isEqualTo("mycluster");
        assertThat(store.failedProxies()).containsExactly("127.0.0.1:6009");
        assertThat(store.failures().get("127.0.0.1:6009")).containsEntry("127.0.0.1:6699", 1700000000L);

        String written = json.writeValueAsString(store);
        assertThat(json.readTree(written)).isEqualTo(json.readTree(STORE));
        assertThat(json.readValue(written, MetaStore.class)).isEqualTo(store);
        // field order is the spec's
        assertThat(written).startsWith("{\"version\":\"mem-broker-0.2\",\"global_epoch\":12,\"clusters\":");
        assertThat(written).endsWith(",\"enable_ordered_proxy\":false}");
    }

    @Test
    void recordsWriteExactlyTheSpecFields() throws Exception {
        assertThat(json.readTree(json.writeValueAsString(json.readValue(MIGRATION_RECORD, MigrationSlotRangeStore.class))))
                .isEqualTo(json.readTree(MIGRATION_RECORD));
        ProxyResource proxy = json.readValue(PROXY, ProxyResource.class);
        assertThat(json.readTree(json.writeValueAsString(proxy))).isEqualTo(json.readTree(PROXY));
        JsonNode free = json.readTree(json.writeValueAsString(proxy.withCluster(null)));
        assertThat(free.has("cluster")).isTrue();
        assertThat(free.get("cluster").isNull()).isTrue();
        assertThat(json.writeValueAsString(MetaStore.empty(true))).isEqualTo("{\"version\":\"mem-broker-0.2\",\"global_epoch\":0,"
                + "\"clusters\":{},\"all_proxies\":{},\"failed_proxies\":[],\"failures\":{},\"enable_ordered_proxy\":true}");
    }

    @Test
    void mapsAreSortedSoOutputIsDeterministic() throws Exception {
        MetaStore store = json.readValue("""
                {"version": "mem-broker-0.2", "global_epoch": 1, "clusters": {},
                 "all_proxies": {
                   "b:1": {"proxy_address": "b:1", "node_addresses": ["b:2", "b:3"], "host": "b", "index": 0, "cluster": null},
                   "a:1": {"proxy_address": "a:1", "node_addresses": ["a:2", "a:3"], "host": "a", "index": 0, "cluster": null}},
                 "failed_proxies": ["z:1", "c:1"], "failures": {}, "enable_ordered_proxy": false}""", MetaStore.class);
        assertThat(store.allProxies().keySet()).containsExactly("a:1", "b:1");
        String out = json.writeValueAsString(store);
        assertThat(out.indexOf("\"a:1\"")).isLessThan(out.indexOf("\"b:1\""));
        assertThat(out).contains("\"failed_proxies\":[\"c:1\",\"z:1\"]");
    }

    @Test
    void missingOrMalformedFieldsAreRejected() {
        for (String field : List.of("version", "global_epoch", "clusters", "all_proxies", "failed_proxies", "failures",
                "enable_ordered_proxy")) {
            String broken = STORE.replaceFirst("\"" + field + "\"", "\"x_" + field + "\"");
            assertThatThrownBy(() -> json.readValue(broken, MetaStore.class)).as(field).isInstanceOf(Exception.class);
        }
        // a chunk with 3 proxies, a migration record pointing at a chunk that does not exist, a record on the wrong side
        assertThatThrownBy(() -> json.readValue(STORE.replace("[\"127.0.0.1:6001\", \"127.0.0.1:6002\"]",
                "[\"127.0.0.1:6001\", \"127.0.0.1:6002\", \"x:1\"]"), MetaStore.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue(STORE.replace("\"dst_chunk_index\": 1", "\"dst_chunk_index\": 7"),
                MetaStore.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue(STORE.replace("\"src_chunk_part\": 0", "\"src_chunk_part\": 1"),
                MetaStore.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue(STORE.replace("\"SecondChunkMaster\"", "\"secondchunkmaster\""),
                MetaStore.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue(STORE.replace("\"global_epoch\": 12", "\"global_epoch\": \"12\""),
                MetaStore.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue(STORE.replace("\"clusters\": {", "\"clusters\": {\"x\": null, "),
                MetaStore.class)).isInstanceOf(Exception.class);
    }

    @Test
    void proxyIndexIsRequiredAndClusterDefaultsToNull() throws Exception {
        assertThatThrownBy(() -> json.readValue("{\"proxy_address\": \"a:1\", \"node_addresses\": [\"a:2\", \"a:3\"], "
                + "\"host\": \"a\"}", ProxyResource.class)).isInstanceOf(Exception.class);
        ProxyResource p = json.readValue("{\"proxy_address\": \"a:1\", \"node_addresses\": [\"a:2\", \"a:3\"], \"host\": \"a\","
                + " \"index\": 0}", ProxyResource.class);
        assertThat(p.index()).isZero();
        assertThat(p.cluster()).isNull();
        assertThat(p.isUnused()).isTrue();
    }

    @Test
    void chunkEditsReturnCopies() {
        ChunkStore c = ChunkStore.of(List.of("p0:1", "p1:1"), List.of("h0", "h1"), List.of("n0:1", "n1:1", "n2:1", "n3:1"),
                SlotRange.stable(0, 8191), null);
        ChunkStore replaced = c.withProxy(1, "p2:1", "h2", List.of("n4:1", "n5:1"));
        assertThat(replaced.proxyAddresses()).containsExactly("p0:1", "p2:1");
        assertThat(replaced.hosts()).containsExactly("h0", "h2");
        assertThat(replaced.nodeAddresses()).containsExactly("n0:1", "n1:1", "n4:1", "n5:1");
        assertThat(c.proxyAddresses()).containsExactly("p0:1", "p1:1");
        assertThat(c.withStable(1, SlotRange.stable(8192, 16383)).stable(1)).isEqualTo(SlotRange.stable(8192, 16383));
        assertThat(c.stable(1)).isNull();
        assertThat(c.partOf("p1:1")).isEqualTo(1);
        assertThat(c.partOf("nope:1")).isEqualTo(-1);
    }

    /**
     * Regression (broker HTTP fuzzing): {@code {"Migrating": null}} was read as a tag without meta, and
     * committing it (PUT /api/v3/clusters/migrations) failed with a NullPointerException, answered as
     * INTERNAL_ERROR. A null meta is now a JSON error.
     */
    @Test
    void aMigrationTagWithoutMetaIsRefused() {
        for (String tag : List.of("{\"Migrating\": null}", "{\"Importing\": null}")) {
            assertThatThrownBy(() -> Json.mapper().readValue(
                    "{\"cluster_name\": \"c\", \"slot_range\": {\"range_list\": [[0, 1]], \"tag\": " + tag + "}}",
                    MigrationTaskMeta.class)).as(tag).isInstanceOf(java.io.IOException.class).hasMessageContaining("must not be null");
        }
        assertThatThrownBy(() -> new io.undermoon.model.SlotRangeTag.Migrating(null)).isInstanceOf(NullPointerException.class);
    }
    @Test
    void replicaSyncIsWrittenOnlyOnceAReplicaHasSynced() throws Exception {
        ChunkStore c = ChunkStore.of(List.of("p0:1", "p1:1"), List.of("h0", "h1"), List.of("n0:1", "n1:1", "n2:1", "n3:1"),
                SlotRange.stable(0, 8191), SlotRange.stable(8192, 16383));
        assertThat(c.replicaSynced()).containsExactly(false, false);
        assertThat(json.readTree(json.writeValueAsString(c)).has("replica_synced")).isFalse();
        ChunkStore synced = c.withReplicaSynced(1, true);
        String written = json.writeValueAsString(synced);
        assertThat(written).endsWith(",\"replica_synced\":[false,true]}");
        assertThat(json.readValue(written, ChunkStore.class)).isEqualTo(synced);
        assertThat(synced.withReplicaSynced(1, true)).isSameAs(synced);
        // the reference's chunk (no field) reads as nothing synced; a malformed field is refused
        assertThat(json.readValue(json.writeValueAsString(c), ChunkStore.class).replicaSynced()).containsExactly(false, false);
        String base = written.substring(0, written.indexOf(",\"replica_synced\""));
        for (String bad : List.of("[true]", "[true,false,true]", "[null,true]", "true")) {
            assertThatThrownBy(() -> json.readValue(base + ",\"replica_synced\":" + bad + "}", ChunkStore.class)).as(bad)
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void replicationPairsFollowTheRolePosition() {
        ChunkStore c = ChunkStore.of(List.of("p0:1", "p1:1"), List.of("h0", "h1"), List.of("n0:1", "n1:1", "n2:1", "n3:1"),
                SlotRange.stable(0, 8191), SlotRange.stable(8192, 16383)).withReplicaSynced(0, true).withReplicaSynced(1, true);
        assertThat(List.of(c.masterOf(0), c.replicaOf(0), c.masterOf(1), c.replicaOf(1)))
                .containsExactly("n0:1", "n3:1", "n2:1", "n1:1");
        assertThat(c.proxyPartOfMaster(0)).isZero();
        assertThat(c.proxyPartOfMaster(1)).isEqualTo(1);
        ChunkStore second = c.withRolePosition(ChunkRolePosition.SecondChunkMaster);
        assertThat(List.of(second.masterOf(0), second.replicaOf(0), second.masterOf(1), second.replicaOf(1)))
                .containsExactly("n3:1", "n0:1", "n2:1", "n1:1");
        assertThat(second.replicaSynced()).containsExactly(false, true);
        ChunkStore first = c.withRolePosition(ChunkRolePosition.FirstChunkMaster);
        assertThat(List.of(first.masterOf(0), first.replicaOf(0), first.masterOf(1), first.replicaOf(1)))
                .containsExactly("n0:1", "n3:1", "n1:1", "n2:1");
        assertThat(first.replicaSynced()).containsExactly(true, false);
        assertThat(first.proxyPartOfMaster(1)).isZero();
        // a new proxy replaces two nodes: both pairs are new
        assertThat(c.withProxy(1, "p9:1", "h9", List.of("n8:1", "n9:1")).replicaSynced()).containsExactly(false, false);
        // stable slots and migrations do not touch the pairs
        assertThat(c.withStable(0, null).replicaSynced()).containsExactly(true, true);
        assertThat(c.withStable(0, null).holdsData(0)).isFalse();
        assertThat(c.holdsData(0)).isTrue();
    }

    @Test
    void clusterInfoWritesItsOwnFieldsOnlyWhenThereIsSomethingToSay() throws Exception {
        ClusterInfo info = new ClusterInfo("c", 4, 4, false, List.of(new UnsyncedReplica("n0:1", "p0:1", "n3:1", "p1:1")),
                List.of(new RefusedFailover("p0:1", "why")));
        String written = json.writeValueAsString(info);
        assertThat(written).isEqualTo("{\"name\":\"c\",\"node_number\":4,\"node_number_with_slots\":4,\"is_migrating\":false,"
                + "\"replicas_not_synced\":[{\"master\":\"n0:1\",\"master_proxy\":\"p0:1\",\"replica\":\"n3:1\","
                + "\"replica_proxy\":\"p1:1\"}],\"failovers_refused\":[{\"proxy\":\"p0:1\",\"reason\":\"why\"}]}");
        assertThat(json.readValue(written, ClusterInfo.class)).isEqualTo(info);
        assertThat(json.writeValueAsString(new ClusterInfo("c", 4, 4, false))).doesNotContain("replicas_not_synced", "failovers_refused");
    }
}
