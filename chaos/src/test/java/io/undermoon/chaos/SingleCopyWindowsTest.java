package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.chaos.SingleCopyWindows.Shard;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleCopyWindowsTest {
    private static final Shard A = new Shard("main", "127.0.0.1:7001");
    private static final Shard B = new Shard("main", "127.0.0.1:7003");

    @Test
    void aWindowLastsFromThePollThatFindsNoSyncedReplicaToThePollThatFindsOne() {
        SingleCopyWindows w = new SingleCopyWindows();
        w.poll(0, Map.of());
        w.poll(250, Map.of(A, "[0-4095]"));
        w.poll(500, Map.of(A, "[0-4095]", B, "[4096-8191]"));
        w.poll(750, Map.of(B, "[4096-8191]"));
        w.poll(1000, Map.of());
        w.poll(5000, Map.of(A, "[0-4095]"));
        w.poll(5250, Map.of());
        assertThat(w.windows()).hasSize(3);
        assertThat(w.byShard()).hasSize(2);
        SingleCopyWindows.ShardSummary a = w.byShard().stream().filter(s -> s.shard().equals(A)).findFirst().orElseThrow();
        assertThat(a.windows()).isEqualTo(2);
        assertThat(a.longestMillis()).isEqualTo(500);
        assertThat(a.longestFromMillis()).isEqualTo(250);
        assertThat(a.totalMillis()).isEqualTo(750);
        assertThat(a.slots()).isEqualTo("[0-4095]");
    }

    @Test
    void aShardThatDisappearsOrIsStillOpenAtTheEndIsClosedThen() {
        SingleCopyWindows w = new SingleCopyWindows();
        w.poll(100, Map.of(A, "[0-4095]", B, "[4096-8191]"));
        // A failed over: the poll lists it no more
        w.poll(400, Map.of(B, "[4096-8191]"));
        w.closeAll(2100);
        assertThat(w.byShard()).extracting(SingleCopyWindows.ShardSummary::longestMillis).containsExactly(2000L, 300L);
    }
}
