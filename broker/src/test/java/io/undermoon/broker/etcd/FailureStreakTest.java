package io.undermoon.broker.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureStreakTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final FailureStreak streak = new FailureStreak(now::get, Duration.ofSeconds(30));

    private void advanceSeconds(long s) {
        now.addAndGet(Duration.ofSeconds(s).toNanos());
    }

    @Test
    void logsTheFirstFailureThenOneEveryIntervalThenTheEnd() {
        assertThat(streak.succeeded()).as("no run: nothing to report").isZero();
        assertThat(streak.failed()).isTrue();
        for (int i = 0; i < 29; i++) {
            advanceSeconds(1);
            assertThat(streak.failed()).as("second %d", i + 1).isFalse();
        }
        advanceSeconds(1);
        assertThat(streak.failed()).as("30 s after the last one logged").isTrue();
        advanceSeconds(1);
        assertThat(streak.failed()).isFalse();
        assertThat(streak.failures()).isEqualTo(32);
        assertThat(streak.length()).isEqualTo(Duration.ofSeconds(31));
        assertThat(streak.succeeded()).isEqualTo(32);
        assertThat(streak.failures()).isZero();
        assertThat(streak.length()).isZero();
        assertThat(streak.failed()).as("a new run is logged at once").isTrue();
    }
}
