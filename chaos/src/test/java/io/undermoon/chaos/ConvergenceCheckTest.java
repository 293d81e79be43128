package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceCheckTest {
    private final ClusterLayout layout = ClusterLayout.of(Layouts.normal(3));

    private static List<Object> entry(int from, int to, String host, int port) {
        return List.of(":" + from, ":" + to, List.of(host, ":" + port, "id"));
    }

    @Test
    void slotsAgreeWhenEveryRangeHasTheBrokersOwner() {
        ClusterLayout l = ClusterLayout.of(new io.undermoon.model.broker.ClusterView("c", 1, null, List.of(
                Layouts.master("n1", "127.0.0.1:6001", 0, 8191), Layouts.master("n3", "127.0.0.1:6002", 8192, 16383))));
        Object reply = List.of(entry(0, 8191, "127.0.0.1", 6001), entry(8192, 16383, "127.0.0.1", 6002));
        assertThat(ConvergenceCheck.compareSlots(l, reply)).isNull();
        Object split = List.of(entry(0, 100, "127.0.0.1", 6001), entry(101, 8191, "127.0.0.1", 6001),
                entry(8192, 16383, "127.0.0.1", 6002));
        assertThat(ConvergenceCheck.compareSlots(l, split)).isNull();
    }

    @Test
    void aWrongOwnerAMissingRangeOrAnErrorIsADisagreement() {
        Object wrongOwner = List.of(entry(0, 16383, "p1", 1));
        assertThat(ConvergenceCheck.compareSlots(layout, wrongOwner)).contains("slot 0").contains("p1:1");
        Object missing = List.of(entry(0, 8191, "p1", 1));
        assertThat(ConvergenceCheck.compareSlots(layout, missing)).isNotNull();
        assertThat(ConvergenceCheck.compareSlots(layout, "-ERR_CLUSTER_NOT_FOUND")).contains("ERR_CLUSTER_NOT_FOUND");
        assertThat(ConvergenceCheck.compareSlots(layout, List.of(List.of(":0")))).contains("malformed");
    }
}
