package io.undermoon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A Redis killed with kill -9 and restarted keeps its data only with the append-only file. */
class RedisProcessIT {
    private static final String[] APPEND_ONLY = {"--appendonly", "yes", "--appendfsync", "always"};

    @Test
    void withTheAppendOnlyFileARestartedRedisHasEveryAcknowledgedWrite() throws Exception {
        try (RedisProcess r = RedisProcess.start(APPEND_ONLY)) {
            for (int i = 0; i < 100; i++) {
                assertThat(Resp.command(r.address(), "SET", "k" + i, "v" + i)).isEqualTo("+OK");
            }
            assertThat(Resp.command(r.address(), "DEL", "k7")).isEqualTo(":1");
            r.kill();
            assertThat(r.isAlive()).isFalse();
            r.restart();
            assertThat(Resp.command(r.address(), "GET", "k99")).isEqualTo("v99");
            assertThat(Resp.command(r.address(), "GET", "k7")).isNull();
            assertThat(Resp.command(r.address(), "DBSIZE")).isEqualTo(":99");
        }
    }

    @Test
    void withoutItARestartedRedisIsEmpty() throws Exception {
        try (RedisProcess r = RedisProcess.start()) {
            assertThat(Resp.command(r.address(), "SET", "k", "v")).isEqualTo("+OK");
            r.kill();
            r.restart();
            assertThat(Resp.command(r.address(), "DBSIZE")).isEqualTo(":0");
        }
    }
}
