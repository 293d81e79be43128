package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicationMonitorTest {
    private static final String INFO = """
            # Replication\r
            role:master\r
            connected_slaves:2\r
            slave0:ip=127.0.0.1,port=7002,state=online,offset=1234,lag=0\r
            slave1:ip=127.0.0.1,port=7005,state=wait_bgsave,offset=0,lag=0\r
            master_failover_state:no-failover\r
            master_repl_offset:1234\r
            """;

    @Test
    void onlyTheListedReplicaInStateOnlineCounts() {
        assertThat(ReplicationMonitor.inSync(INFO, Set.of("127.0.0.1:7002"))).isTrue();
        // the replica a failover would promote is still waiting for its full sync
        assertThat(ReplicationMonitor.inSync(INFO, Set.of("127.0.0.1:7005"))).isFalse();
        // another replica being online does not help when the listed one is not attached at all
        assertThat(ReplicationMonitor.inSync(INFO, Set.of("127.0.0.1:7009"))).isFalse();
        assertThat(ReplicationMonitor.inSync(INFO.replace("role:master", "role:slave"), Set.of("127.0.0.1:7002"))).isFalse();
    }
}
