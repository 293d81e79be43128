package io.undermoon.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void clusterNodesAsTheReferenceShowsIt() {
        RouteTable t = RouteTable.build(1, "mydb", ClusterConfig.DEFAULT,
                Map.of("127.0.0.1:6379", List.of(SlotRange.stable(0, 8000))),
                Map.of("127.0.0.1:7000", List.of(SlotRange.stable(8001, 16383))),
                "127.0.0.1:5299", "v2", new BackendRegistry(), MigrationLookup.NONE);
        assertThat(t.topology().nodesText()).isEqualTo(
                "mydb____________________9f8fca2805923328 127.0.0.1:5299@5299 myself,master - 0 0 1 connected 0-8000\n"
                + "mydb____________________d458dd9b55cc9ad9 127.0.0.1:7000@5299 master - 0 0 1 connected 8001-16383\n");
        assertThat(t.route(0)).isInstanceOf(Route.Local.class);
        assertThat(t.route(8001)).isEqualTo(new Route.Peer("127.0.0.1:7000"));
        assertThat(t.coveredSlots()).isEqualTo(16384);
        ByteBuf info = t.topology().infoReply();
        assertThat(info.toString(StandardCharsets.US_ASCII)).contains("cluster_state:ok").contains("cluster_current_epoch:1");
    }

    @Test
    void singleSlotsV1FormatAndEmptyProxy() {
        RouteTable t = RouteTable.build(233, "testcluster", ClusterConfig.DEFAULT,
                Map.of("127.0.0.1:6379", List.of(SlotRange.stable(RangeList.of(new Range(0, 100), new Range(300, 300))))),
                Map.of(), "x".repeat(50), "v1", new BackendRegistry(), MigrationLookup.NONE);
        assertThat(t.topology().nodesText()).isEqualTo(
                "testcluster_____________a744988af9aa86ed " + "x".repeat(50) + " myself,master - 0 0 233 connected 0-100 300\n");
        RouteTable empty = RouteTable.empty("127.0.0.1:5299", "v2");
        assertThat(empty.topology().nodesText()).isEqualTo(
                "_".repeat(24) + "9f8fca2805923328 127.0.0.1:5299@5299 myself,master - 0 0 0 connected\n");
        assertThat(empty.hasCluster()).isFalse();
    }

    @Test
    void uninvolvedProxiesRedirectToTheImportingSide() {
        MigrationMeta meta = new MigrationMeta(5, "127.0.0.1:7001", "127.0.0.1:6001", "127.0.0.1:7002", "127.0.0.1:6002");
        RouteTable t = RouteTable.build(6, "c", ClusterConfig.DEFAULT,
                Map.of("127.0.0.1:6000", List.of(SlotRange.stable(0, 99))),
                Map.of("127.0.0.1:7001", List.of(SlotRange.stable(100, 199),
                                new SlotRange(RangeList.of(new Range(200, 299)), new SlotRangeTag.Migrating(meta))),
                        "127.0.0.1:7002", List.of(new SlotRange(RangeList.of(new Range(200, 299)), new SlotRangeTag.Importing(meta)))),
                "127.0.0.1:7000", "v2", new BackendRegistry(), MigrationLookup.NONE);
        assertThat(t.route(250)).isEqualTo(new Route.Peer("127.0.0.1:7002"));
        assertThat(t.topology().nodesText()).contains("127.0.0.1:7001@5299 master - 0 0 6 connected 100-199\n")
                .contains("127.0.0.1:7002@5299 master - 0 0 6 connected 200-299\n");
        assertThat(t.route(300)).isNull();
    }

    /**
     * Regression (proxy memory fuzzing): every route table (one per accepted SETCLUSTER) allocated its
     * four pre-rendered replies as direct buffers that were never released; the leak detector reported
     * them and, without a cleaner, their native memory was never freed.
     */
    @Test
    void renderedRepliesHoldNoDirectMemory() {
        long before = io.netty.util.internal.PlatformDependent.usedDirectMemory();
        for (int epoch = 1; epoch <= 2000; epoch++) {
            RouteTable t = RouteTable.build(epoch, "mydb", ClusterConfig.DEFAULT,
                    Map.of("127.0.0.1:6379", List.of(SlotRange.stable(0, 8000))),
                    Map.of("127.0.0.1:7000", List.of(SlotRange.stable(8001, 16383))),
                    "127.0.0.1:5299", "v2", new BackendRegistry(), MigrationLookup.NONE);
            assertThat(t.topology().nodesReply().isDirect()).isFalse();
            assertThat(t.topology().slotsReply().isReadable()).isTrue();
        }
        if (before >= 0) {
            assertThat(io.netty.util.internal.PlatformDependent.usedDirectMemory()).isEqualTo(before);
        }
    }
}
