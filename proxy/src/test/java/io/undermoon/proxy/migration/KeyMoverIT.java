package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.testkit.FreePorts;
import io.undermoon.testkit.RedisProcess;
import io.undermoon.testkit.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On-demand moves (UMSYNC) with MIGRATE between two real Redis: what moves, what wins, what stays. */
class KeyMoverIT {
    private static final RangeList ALL = RangeList.of(new Range(0, 16383));

    private static List<byte[]> keys(String... names) {
        return java.util.Arrays.stream(names).map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void movesWhatTheSourceHasKeepsNewerValuesAndTtls() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            Resp.command(src.address(), "SET", "a", "old-a");
            Resp.command(src.address(), "SET", "b", "old-b");
            Resp.command(src.address(), "SET", "c", "old-c", "PX", "60000");
            Resp.command(src.address(), "RPUSH", "l", "1", "2", "3");
            Resp.command(dst.address(), "SET", "b", "new-b"); // written through the importing proxy: newer
            MigrationStats stats = new MigrationStats();
            KeyMover mover = new KeyMover(src.address(), dst.address(), ALL, Duration.ofSeconds(5), stats, new KeyLocks());
            try {
                mover.migrate(keys("a", "b", "c", "l", "absent"));
            } finally {
                mover.close();
            }
            assertThat(Resp.command(dst.address(), "GET", "a")).isEqualTo("old-a");
            assertThat(Resp.command(dst.address(), "GET", "b")).isEqualTo("new-b");
            assertThat(Resp.command(dst.address(), "GET", "c")).isEqualTo("old-c");
            assertThat(Resp.command(dst.address(), "LRANGE", "l", "0", "-1")).isEqualTo(List.of("1", "2", "3"));
            long ttl = Long.parseLong(String.valueOf(Resp.command(dst.address(), "PTTL", "c")).substring(1));
            assertThat(ttl).isBetween(50_000L, 60_000L);
            assertThat(Resp.command(dst.address(), "PTTL", "a")).isEqualTo(":-1");
            assertThat(Resp.command(dst.address(), "EXISTS", "absent")).isEqualTo(":0");
            // nothing of them is left on the source, the stale b included
            assertThat(Resp.command(src.address(), "DBSIZE")).isEqualTo(":0");
            assertThat(stats.movedKeys.sum()).isEqualTo(3);
            assertThat(stats.busyKeys.sum()).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableDestinationLeavesEveryKeyOnTheSource() throws Exception {
        try (RedisProcess src = RedisProcess.start()) {
            Resp.command(src.address(), "SET", "a", "v");
            MigrationStats stats = new MigrationStats();
            KeyMover mover = new KeyMover(src.address(), "127.0.0.1:" + FreePorts.next(), ALL, Duration.ofSeconds(2), stats,
                    new KeyLocks());
            try {
                assertThatThrownBy(() -> mover.migrate(keys("a"))).isInstanceOf(IOException.class)
                        .hasMessageContaining("MIGRATE failed");
            } finally {
                mover.close();
            }
            assertThat(Resp.command(src.address(), "GET", "a")).isEqualTo("v");
            assertThat(stats.movedKeys.sum()).isZero();
        }
    }
}
