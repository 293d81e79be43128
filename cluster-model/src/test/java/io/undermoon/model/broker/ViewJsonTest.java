package io.undermoon.model.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.Json;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewJsonTest {
    private final ObjectMapper json = Json.mapper();

    static final String CONFIG = """
            {"compression_strategy": "disabled",
             "migration_config": {"max_migration_time": 10800, "max_blocking_time": 10000, "scan_interval": 500, "scan_count": 16}}""";

    static final String CLUSTER = """
            {"cluster": {"name": "mycluster", "epoch": 3, "config": %s,
              "nodes": [
                {"address": "127.0.0.1:7001", "proxy_address": "127.0.0.1:6001",
                 "slots": [{"range_list": [[0, 8191]], "tag": "None"}],
                 "repl": {"role": "master", "peers": [{"node_address": "127.0.0.1:7004", "proxy_address": "127.0.0.1:6002"}]}},
                {"address": "127.0.0.1:7002", "proxy_address": "127.0.0.1:6001", "slots": [],
                 "repl": {"role": "replica", "peers": [{"node_address": "127.0.0.1:7003", "proxy_address": "127.0.0.1:6002"}]}},
                {"address": "127.0.0.1:7003", "proxy_address": "127.0.0.1:6002",
                 "slots": [{"range_list": [[8192, 16383]], "tag": "None"}],
                 "repl": {"role": "master", "peers": [{"node_address": "127.0.0.1:7002", "proxy_address": "127.0.0.1:6001"}]}},
                {"address": "127.0.0.1:7004", "proxy_address": "127.0.0.1:6002", "slots": [],
                 "repl": {"role": "replica", "peers": [{"node_address": "127.0.0.1:7001", "proxy_address": "127.0.0.1:6001"}]}}
              ]}}""".formatted(CONFIG);

    static final String PROXY = """
            {"proxy": {"cluster_name": "mycluster", "address": "127.0.0.1:6001", "epoch": 3,
              "nodes": [
                {"address": "127.0.0.1:7001", "proxy_address": "127.0.0.1:6001",
                 "slots": [{"range_list": [[0, 4095]], "tag": "None"},
                           {"range_list": [[4096, 8191]], "tag": {"Migrating": {"epoch": 9,
                              "src_proxy_address": "127.0.0.1:6001", "src_node_address": "127.0.0.1:7001",
                              "dst_proxy_address": "127.0.0.1:6003", "dst_node_address": "127.0.0.1:7005"}}}],
                 "repl": {"role": "master", "peers": [{"node_address": "127.0.0.1:7004", "proxy_address": "127.0.0.1:6002"}]}},
                {"address": "127.0.0.1:7002", "proxy_address": "127.0.0.1:6001", "slots": [],
                 "repl": {"role": "replica", "peers": [{"node_address": "127.0.0.1:7003", "proxy_address": "127.0.0.1:6002"}]}}
              ],
              "peers": [{"proxy_address": "127.0.0.1:6002", "slots": [{"range_list": [[8192, 16383]], "tag": "None"}]},
                        {"proxy_address": "127.0.0.1:6003", "slots": []}],
              "cluster_config": %s}}""".formatted(CONFIG);

    static final String FREE_PROXY = """
            {"proxy": {"cluster_name": null, "address": "127.0.0.1:6005", "epoch": 7,
              "nodes": [
                {"address": "127.0.0.1:7009", "proxy_address": "127.0.0.1:6005", "slots": [], "repl": {"role": "master", "peers": []}},
                {"address": "127.0.0.1:7010", "proxy_address": "127.0.0.1:6005", "slots": [], "repl": {"role": "master", "peers": []}}
              ],
              "peers": [], "cluster_config": null}}""";

    @Test
    void clusterViewRoundTrips() throws Exception {
        ClusterResponse r = json.readValue(CLUSTER, ClusterResponse.class);
        ClusterView c = r.cluster();
        assertThat(c.name()).isEqualTo("mycluster");
        assertThat(c.epoch()).isEqualTo(3);
        assertThat(c.nodes()).hasSize(4);
        assertThat(c.nodes().get(1).repl().role()).isEqualTo(Role.REPLICA);
        assertThat(c.nodes().get(2).slots()).containsExactly(SlotRange.stable(8192, 16383));
        assertThat(json.readTree(json.writeValueAsString(r))).isEqualTo(json.readTree(CLUSTER));
        assertThat(json.writeValueAsString(new ClusterResponse(null))).isEqualTo("{\"cluster\":null}");
    }

    @Test
    void proxyViewRoundTrips() throws Exception {
        ProxyView p = json.readValue(PROXY, ProxyResponse.class).proxy();
        assertThat(p.isFree()).isFalse();
        assertThat(p.nodes().get(0).slots().get(1).tag()).isEqualTo(new SlotRangeTag.Migrating(
                new MigrationMeta(9, "127.0.0.1:6001", "127.0.0.1:7001", "127.0.0.1:6003", "127.0.0.1:7005")));
        assertThat(p.peers().get(1).slots()).isEmpty();
        assertThat(json.readTree(json.writeValueAsString(new ProxyResponse(p)))).isEqualTo(json.readTree(PROXY));

        ProxyView free = json.readValue(FREE_PROXY, ProxyResponse.class).proxy();
        assertThat(free.isFree()).isTrue();
        assertThat(free.clusterConfig()).isNull();
        assertThat(json.readTree(json.writeValueAsString(new ProxyResponse(free)))).isEqualTo(json.readTree(FREE_PROXY));
        assertThat(json.writeValueAsString(new ProxyResponse(null))).isEqualTo("{\"proxy\":null}");
    }

    @Test
    void proxyViewIgnoresTheReferenceDocsExtraFields() throws Exception {
        String withExtras = FREE_PROXY.replace("\"peers\": [],", "\"peers\": [], \"free_nodes\": [\"127.0.0.1:7009\"],"
                + " \"clusters_config\": {},").replace("\"slots\": [], \"repl\"", "\"cluster_name\": \"x\", \"slots\": [], \"repl\"");
        assertThat(json.readValue(withExtras, ProxyResponse.class)).isEqualTo(json.readValue(FREE_PROXY, ProxyResponse.class));
    }

    @Test
    void rolesParseCaseInsensitively() throws Exception {
        assertThat(json.readValue("\"MASTER\"", Role.class)).isEqualTo(Role.MASTER);
        assertThat(json.readValue("\"Replica\"", Role.class)).isEqualTo(Role.REPLICA);
        assertThatThrownBy(() -> json.readValue("\"slave\"", Role.class)).isInstanceOf(Exception.class);
    }

    @Test
    void clusterInfoAndTaskMeta() throws Exception {
        String info = "{\"name\":\"mycluster\",\"node_number\":8,\"node_number_with_slots\":4,\"is_migrating\":true}";
        assertThat(json.writeValueAsString(new ClusterInfo("mycluster", 8, 4, true))).isEqualTo(info);
        assertThat(json.readValue(info, ClusterInfo.class)).isEqualTo(new ClusterInfo("mycluster", 8, 4, true));

        String task = """
                {"cluster_name": "mycluster", "slot_range": {"range_list": [[233, 666]], "tag": {"Importing": {"epoch": 7799,
                  "src_proxy_address": "127.0.0.1:6000", "src_node_address": "127.0.0.1:7000",
                  "dst_proxy_address": "127.0.0.1:6001", "dst_node_address": "127.0.0.1:7001"}}}}""";
        MigrationTaskMeta t = json.readValue(task, MigrationTaskMeta.class);
        assertThat(t.slotRange().rangeList()).isEqualTo(RangeList.of(new Range(233, 666)));
        assertThat(t.slotRange().tag().metaOrNull().epoch()).isEqualTo(7799);
        assertThat(json.readTree(json.writeValueAsString(t))).isEqualTo(json.readTree(task));
    }

    @Test
    void wrappersAndRequests() throws Exception {
        assertThat(json.writeValueAsString(new NamesResponse(List.of("a", "b")))).isEqualTo("{\"names\":[\"a\",\"b\"]}");
        assertThat(json.writeValueAsString(new AddressesResponse(List.of("a:1")))).isEqualTo("{\"addresses\":[\"a:1\"]}");
        assertThat(json.writeValueAsString(new FailedAddressesResponse(List.of()))).isEqualTo("{\"failed_addresses\":[]}");
        assertThat(json.writeValueAsString(new HostsCannotFailResponse(List.of("h")))).isEqualTo("{\"hosts_cannot_fail\":[\"h\"]}");
        assertThat(json.writeValueAsString(new ReplicaAddresses(List.of("127.0.0.1:8899"))))
                .isEqualTo("{\"replica_addresses\":[\"127.0.0.1:8899\"]}");
        assertThat(json.readValue("{\"node_number\": 4}", NodeNumberRequest.class).nodeNumber()).isEqualTo(4);
        assertThat(json.readValue("{\"cluster_node_number\": 8}", ClusterNodeNumberRequest.class).clusterNodeNumber()).isEqualTo(8);
        assertThatThrownBy(() -> json.readValue("{\"node_number\": \"4\"}", NodeNumberRequest.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue("{\"node_number\": -4}", NodeNumberRequest.class)).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue("{}", NodeNumberRequest.class)).isInstanceOf(Exception.class);

        AddProxyRequest add = json.readValue("{\"proxy_address\": \"127.0.0.1:6001\", \"nodes\": [\"127.0.0.1:7001\", "
                + "\"127.0.0.1:7002\"], \"host\": \"localhost1\"}", AddProxyRequest.class);
        assertThat(add.host()).isEqualTo("localhost1");
        assertThat(add.index()).isNull();
        assertThat(json.writeValueAsString(add)).isEqualTo("{\"proxy_address\":\"127.0.0.1:6001\",\"nodes\":"
                + "[\"127.0.0.1:7001\",\"127.0.0.1:7002\"],\"host\":\"localhost1\"}");
        assertThatThrownBy(() -> json.readValue("{\"proxy_address\": \"a:1\", \"nodes\": [\"n:1\"]}", AddProxyRequest.class))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue("{\"proxy_address\": \"a:1\", \"nodes\": [\"n:1\", null]}", AddProxyRequest.class))
                .isInstanceOf(Exception.class);
    }

    @Test
    void configChangesKeepTheViewConfigShape() throws Exception {
        ClusterConfig c = ClusterConfig.DEFAULT.withField("compression_strategy", "set_get_only");
        ClusterView v = new ClusterView("x", 1, c, List.of());
        assertThat(json.readValue(json.writeValueAsString(v), ClusterView.class).config().compressionStrategy())
                .isEqualTo(CompressionStrategy.SET_GET_ONLY);
    }
}
