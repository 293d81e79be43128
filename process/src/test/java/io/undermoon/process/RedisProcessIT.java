package io.undermoon.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A Redis killed with kill -9 and restarted keeps its data only with the append-only file. */
class RedisProcessIT {
    private static final String[] APPEND_ONLY = {"--appendonly", "yes", "--appendfsync", "always"};

    @Test
    void withTheAppendOnlyFileARestartedRedisHasEveryAcknowledgedWrite() throws Exception {
        try (RedisProcess r = RedisProcess.start(APPEND_ONLY)) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                for (int i = 0; i < 100; i++) {
                    assertThat(j.set("k" + i, "v" + i)).isEqualTo("OK");
                }
                assertThat(j.del("k7")).isEqualTo(1L);
            }
            r.kill();
            assertThat(r.isAlive()).isFalse();
            r.restart();
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                assertThat(j.get("k99")).isEqualTo("v99");
                assertThat(j.get("k7")).isNull();
                assertThat(j.dbSize()).isEqualTo(99L);
            }
        }
    }

    @Test
    void withoutItARestartedRedisIsEmpty() throws Exception {
        try (RedisProcess r = RedisProcess.start()) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                assertThat(j.set("k", "v")).isEqualTo("OK");
            }
            r.kill();
            r.restart();
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                assertThat(j.dbSize()).isZero();
            }
        }
    }
}
