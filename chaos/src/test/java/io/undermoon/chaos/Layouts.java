package io.undermoon.chaos;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.RangeList;
import io.undermoon.model.Range;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.ReplMeta;
import io.undermoon.model.broker.ReplPeer;
import io.undermoon.model.broker.Role;
import java.util.List;

/** Small broker views for tests: one chunk, proxies p1 (nodes n1, n2) and p2 (nodes n3, n4). */
final class Layouts {
    private Layouts() {}

    static NodeView master(String node, String proxy, int from, int to) {
        return new NodeView(node, proxy, List.of(SlotRange.stable(from, to)), new ReplMeta(Role.MASTER, List.of()));
    }

    static NodeView replica(String node, String proxy, String masterNode, String masterProxy) {
        return new NodeView(node, proxy, List.of(), new ReplMeta(Role.REPLICA, List.of(new ReplPeer(masterNode, masterProxy))));
    }

    /** n1 (p1) masters 0-8191, n3 (p2) masters 8192-16383; n2 and n4 are their replicas. */
    static ClusterView normal(long epoch) {
        return new ClusterView("c", epoch, null, List.of(
                master("n1", "p1", 0, 8191), replica("n2", "p1", "n3", "p2"),
                master("n3", "p2", 8192, 16383), replica("n4", "p2", "n1", "p1")));
    }

    /** After p1 failed over: p2 masters everything (n3 and n4). */
    static ClusterView afterFailoverOfP1(long epoch) {
        return new ClusterView("c", epoch, null, List.of(
                master("n3", "p2", 8192, 16383), master("n4", "p2", 0, 8191)));
    }

    /** n1 migrates 4096-8191 to n3. */
    static ClusterView migrating(long epoch) {
        MigrationMeta m = new MigrationMeta(epoch, "p1", "n1", "p2", "n3");
        RangeList moving = RangeList.of(Range.of(4096, 8191));
        return new ClusterView("c", epoch, null, List.of(
                new NodeView("n1", "p1", List.of(SlotRange.stable(0, 4095),
                        new SlotRange(moving, new SlotRangeTag.Migrating(m))), new ReplMeta(Role.MASTER, List.of())),
                new NodeView("n3", "p2", List.of(SlotRange.stable(8192, 16383),
                        new SlotRange(moving, new SlotRangeTag.Importing(m))), new ReplMeta(Role.MASTER, List.of()))));
    }
}
