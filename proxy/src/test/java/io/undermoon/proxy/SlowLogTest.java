package io.undermoon.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlowLogTest {

    /**
     * Regression: CONFIG SET slowlog_log_slower_than accepts any 64-bit value; near 2^63 the threshold
     * in nanoseconds overflowed to a negative number and every sampled command was logged.
     */
    @Test
    void aHugeThresholdLogsNothingAndAZeroThresholdLogsEverything() {
        SlowLog log = new SlowLog(4, Long.MAX_VALUE, 1);
        log.record(1, 0, 5_000_000_000L, "GET a");
        assertThat(log.get(10)).isEmpty();
        log.setLogSlowerThan(Long.MAX_VALUE / 999);
        log.record(1, 0, 5_000_000_000L, "GET a");
        assertThat(log.get(10)).isEmpty();
        log.setLogSlowerThan(0);
        log.record(1, 0, 1, "GET b");
        assertThat(log.get(10)).extracting(SlowLog.Entry::command).containsExactly("GET b");
        log.setLogSlowerThan(Long.MIN_VALUE);
        log.record(1, 0, 1, "GET c");
        assertThat(log.get(10)).hasSize(2);
    }
}
