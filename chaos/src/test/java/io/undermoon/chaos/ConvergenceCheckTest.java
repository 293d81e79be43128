package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.resp.client.RespReply;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceCheckTest {
    private final ClusterLayout layout = ClusterLayout.of(Layouts.normal(3));

    private static RespReply entry(int from, int to, String host, int port) {
        return new RespReply.Array(List.of(new RespReply.Int(from), new RespReply.Int(to),
                new RespReply.Array(List.of(RespReply.bulk(host), new RespReply.Int(port), RespReply.bulk("id")))));
    }

    private static RespReply array(RespReply... items) {
        return new RespReply.Array(List.of(items));
    }

    @Test
    void slotsAgreeWhenEveryRangeHasTheBrokersOwner() {
        ClusterLayout l = ClusterLayout.of(new io.undermoon.model.broker.ClusterView("c", 1, null, List.of(
                Layouts.master("n1", "127.0.0.1:6001", 0, 8191), Layouts.master("n3", "127.0.0.1:6002", 8192, 16383))));
        RespReply reply = array(entry(0, 8191, "127.0.0.1", 6001), entry(8192, 16383, "127.0.0.1", 6002));
        assertThat(ConvergenceCheck.compareSlots(l, reply)).isNull();
        RespReply split = array(entry(0, 100, "127.0.0.1", 6001), entry(101, 8191, "127.0.0.1", 6001),
                entry(8192, 16383, "127.0.0.1", 6002));
        assertThat(ConvergenceCheck.compareSlots(l, split)).isNull();
    }

    @Test
    void aWrongOwnerAMissingRangeOrAnErrorIsADisagreement() {
        RespReply wrongOwner = array(entry(0, 16383, "p1", 1));
        assertThat(ConvergenceCheck.compareSlots(layout, wrongOwner)).contains("slot 0").contains("p1:1");
        RespReply missing = array(entry(0, 8191, "p1", 1));
        assertThat(ConvergenceCheck.compareSlots(layout, missing)).isNotNull();
        assertThat(ConvergenceCheck.compareSlots(layout, new RespReply.Error("ERR_CLUSTER_NOT_FOUND"))).contains("ERR_CLUSTER_NOT_FOUND");
        assertThat(ConvergenceCheck.compareSlots(layout, array(array(new RespReply.Int(0))))).contains("malformed");
    }
}
