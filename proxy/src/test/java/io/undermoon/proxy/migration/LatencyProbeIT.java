package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyProbeIT {
    private static final long MS = 1_000_000L;
    /** A Lua script that keeps the Redis busy for ARGV[1] ms (as a long MIGRATE or a slow command would). */
    private static final String BUSY = "local t = redis.call('TIME') local s = t[1] * 1000000 + t[2] "
            + "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s >= ARGV[1] * 1000 return 1";

    @Test
    void measuresTheRoundTripsAndSeesARedisThatIsBusy() throws Exception {
        try (RedisProcess a = RedisProcess.start(); RedisProcess b = RedisProcess.start();
                LatencyProbe probe = new LatencyProbe(a.address(), b.address())) {
            probe.start();
            long first = -1;
            for (int i = 0; i < 100 && first < 0; i++) { // the first PINGs of a fresh JVM take a moment (class loading)
                TimeUnit.MILLISECONDS.sleep(100);
                first = probe.takeHighNanos();
            }
            TimeUnit.MILLISECONDS.sleep(300);
            long quiet = probe.takeHighNanos();
            assertThat(quiet).isBetween(0L, 200 * MS);
            // the first Redis busy for 50 ms at a time, 8 times: the PINGs to it wait up to 50 ms each
            for (int i = 0; i < 8; i++) {
                Resp.command(a.address(), "EVAL", BUSY, "0", "50");
            }
            long busy = probe.takeHighNanos();
            // the probe alternates between the two Redis: about half of the samples waited
            assertThat(busy).isGreaterThan(5 * MS);
        }
    }

    @Test
    void anUnreachableRedisGivesNoSampleAndAClosedProbeStops() throws Exception {
        LatencyProbe probe = new LatencyProbe("127.0.0.1:1");
        probe.start();
        TimeUnit.MILLISECONDS.sleep(50);
        assertThat(probe.takeHighNanos()).isEqualTo(-1); // counts as over the target in the pacer
        probe.close();
    }
}
