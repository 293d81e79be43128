package io.undermoon.coordinator.round;

import static io.undermoon.coordinator.testing.Views.cluster;
import static io.undermoon.coordinator.testing.Views.importing;
import static io.undermoon.coordinator.testing.Views.master;
import static io.undermoon.coordinator.testing.Views.meta;
import static io.undermoon.coordinator.testing.Views.migrating;
import static io.undermoon.coordinator.testing.Views.replica;
import static io.undermoon.coordinator.testing.Views.stable;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NodeView;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ProxyOrderTest {
    private static final MigrationMeta M = meta(9, "A", "a1", "C", "c1");

    /** Chunk 0 on proxies A and B with slots; chunk 1 on C (importing) and D (no slots yet). */
    private static ClusterView scalingOut() {
        return cluster("mycluster", 9,
                master("a1", "A", List.of(stable(0, 4095), migrating(4096, 8191, M)), "b2", "B"),
                replica("a2", "A", "b1", "B"),
                master("b1", "B", List.of(stable(8192, 16383)), "a2", "A"),
                replica("b2", "B", "a1", "A"),
                master("c1", "C", List.of(importing(4096, 8191, M)), "d2", "D"),
                replica("c2", "C", "d1", "D"),
                master("d1", "D", List.of(), "c2", "C"),
                replica("d2", "D", "c1", "C"));
    }

    @Test
    void sortKeys() {
        List<NodeView> nodes = scalingOut().nodes();
        assertThat(ProxyOrder.sortKey(nodes.get(4))).isZero();  // importing
        assertThat(ProxyOrder.sortKey(nodes.get(6))).isEqualTo(1); // master without slots
        assertThat(ProxyOrder.sortKey(nodes.get(1))).isEqualTo(1); // replica
        assertThat(ProxyOrder.sortKey(nodes.get(0))).isEqualTo(2); // stable and migrating
        assertThat(ProxyOrder.sortKey(nodes.get(2))).isEqualTo(2);
    }

    @Test
    void importingFirstThenNoSlotsThenOthersThenFreeProxies() {
        // with only masters-with-slots and one replica per proxy, make the order visible: C imports,
        // D has nothing, A and B have slots. Replicas (key 1) of A come before B's masters too.
        ClusterView c = cluster("mycluster", 9,
                master("a1", "A", List.of(stable(0, 4095), migrating(4096, 8191, M)), "b2", "B"),
                master("b1", "B", List.of(stable(8192, 16383)), "a2", "A"),
                master("d1", "D", List.of(), "c2", "C"),
                master("c1", "C", List.of(importing(4096, 8191, M)), "d2", "D"));
        List<String> order = ProxyOrder.order(List.of(c), List.of("A", "B", "C", "D", "E", "F"), Set.of());
        assertThat(order).containsExactly("C", "D", "A", "B", "E", "F");
    }

    @Test
    void replicasCountAsNodesWithoutSlots() {
        List<String> order = ProxyOrder.order(List.of(scalingOut()), List.of("A", "B", "C", "D"), Set.of());
        // c1 (importing, C); then key 1 in view order: a2 (A), b2 (B), c2 (C), d1 (D), d2 (D)
        assertThat(order).containsExactly("C", "A", "B", "D");
    }

    @Test
    void failedFreeProxiesAreExcludedButFailedClusterProxiesAreNot() {
        ClusterView c = cluster("c", 3,
                master("a1", "A", List.of(stable(0, 16383)), "b2", "B"),
                replica("b2", "B", "a1", "A"));
        List<String> order = ProxyOrder.order(List.of(c), List.of("A", "B", "E", "F"), Set.of("B", "E"));
        assertThat(order).containsExactly("B", "A", "F");
    }

    @Test
    void clustersInListingOrderAndEachProxyOnce() {
        ClusterView c1 = cluster("c1", 3, master("a1", "A", List.of(stable(0, 16383)), "b2", "B"),
                replica("b2", "B", "a1", "A"));
        ClusterView c2 = cluster("c2", 3, master("x1", "X", List.of(stable(0, 16383)), "a3", "A"),
                replica("a3", "A", "x1", "X"));
        assertThat(ProxyOrder.order(List.of(c1, c2), List.of("A", "B", "X"), Set.of())).containsExactly("B", "A", "X");
        assertThat(ProxyOrder.order(List.of(c2, c1), List.of("A", "B", "X"), Set.of())).containsExactly("A", "X", "B");
    }

    @Property(tries = 200)
    void everyImportingProxyComesBeforeEveryProxyWithOnlyStableSlots(@ForAll @IntRange(min = 0, max = 7) int importer,
            @ForAll @IntRange(min = 0, max = 7) int empty) {
        NodeView[] nodes = new NodeView[8];
        for (int i = 0; i < 8; i++) {
            String proxy = "P" + i;
            if (i == importer) {
                nodes[i] = master("n" + i, proxy, List.of(importing(0, 10, M)), "x", "X");
            } else if (i == empty) {
                nodes[i] = master("n" + i, proxy, List.of(), "x", "X");
            } else {
                nodes[i] = master("n" + i, proxy, List.of(stable(100 * i + 20, 100 * i + 30)), "x", "X");
            }
        }
        List<String> order = ProxyOrder.order(List.of(cluster("c", 1, nodes)), List.of(), Set.of());
        assertThat(order.get(0)).isEqualTo("P" + importer);
        if (empty != importer) {
            assertThat(order.get(1)).isEqualTo("P" + empty);
        }
        assertThat(order).hasSize(8);
    }
}
