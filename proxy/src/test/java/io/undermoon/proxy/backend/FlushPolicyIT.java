package io.undermoon.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import io.undermoon.process.RedisProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** backend_batch_strategy through a real proxy in front of a real Redis. */
class FlushPolicyIT {
    private static final long MS = 1_000_000L;

    private static ServerProxy proxy(RedisProcess redis, Map<String, Object> settings) throws Exception {
        Map<String, Object> m = new HashMap<>(Map.of("address", "127.0.0.1:0", "thread_number", 1, "backend_conn_num", 1));
        m.putAll(settings);
        ServerProxy p = ServerProxy.start(ProxyConfig.load(ConfigSource.of(m)));
        try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", p.port(), Duration.ofSeconds(5))) {
            String set = "UMCTL SETCLUSTER v2 1 NOFLAG mycluster " + redis.address() + " 1 0-16383";
            assertThat(c.command(set.split(" "))).isInstanceOf(RespReply.Simple.class);
        }
        return p;
    }

    /** The time of a GET that follows another on the same backend connection at once. */
    private static long secondGetNanos(ServerProxy p) throws Exception {
        try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", p.port(), Duration.ofSeconds(5))) {
            assertThat(c.command("SET", "k", "v")).isInstanceOf(RespReply.Simple.class);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                RespReply r = c.command("GET", "k");
                best = Math.min(best, System.nanoTime() - t0);
                assertThat(r).isInstanceOf(RespReply.Bulk.class);
                assertThat(((RespReply.Bulk) r).text()).isEqualTo("v");
            }
            return best;
        }
    }

    @Test
    void fixedHoldsSmallWritesUntilTheTimerAndLargeOnesGoAtOnce() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            // a 1 s low interval and a 300 ms timer: a small request waits for the timer
            try (ServerProxy p = proxy(redis, Map.of("backend_batch_strategy", "FIXED", "backend_flush_size", 1_000_000,
                    "backend_low_flush_interval", 1_000 * MS, "backend_high_flush_interval", 300 * MS))) {
                assertThat(secondGetNanos(p)).isGreaterThan(200 * MS);
                // a pipeline larger than backend_flush_size leaves at once, answers in order
                try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", p.port(), Duration.ofSeconds(5))) {
                    List<byte[][]> cmds = new java.util.ArrayList<>();
                    byte[] big = new byte[1_100_000];
                    cmds.add(new byte[][] {"SET".getBytes(), "big".getBytes(), big});
                    cmds.add(new byte[][] {"STRLEN".getBytes(), "big".getBytes()});
                    long t0 = System.nanoTime();
                    List<RespReply> replies = c.pipeline(cmds);
                    assertThat(replies.get(1)).isEqualTo(new RespReply.Int(1_100_000));
                    assertThat(System.nanoTime() - t0).isLessThan(200 * MS);
                }
            }
            // the default: every request leaves in the iteration it arrived in
            try (ServerProxy p = proxy(redis, Map.of())) {
                assertThat(secondGetNanos(p)).isLessThan(100 * MS);
            }
        }
    }

    @Test
    void dynamicIsRefusedWithAClearError() {
        assertThatThrownBy(() -> ProxyConfig.load(ConfigSource.of(Map.of("backend_batch_strategy", "dynamic"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'dynamic' is not supported");
    }
}
