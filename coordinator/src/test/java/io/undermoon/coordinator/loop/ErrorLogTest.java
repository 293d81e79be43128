package io.undermoon.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ErrorLogTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final ErrorLog log = new ErrorLog("sync", new ErrorLog.Sink() {
        @Override
        public void warn(String line) {
            lines.add("WARN " + line);
        }

        @Override
        public void info(String line) {
            lines.add("INFO " + line);
        }
    }, now::get, Duration.ofSeconds(60));

    private static RoundError e(String key, String msg) {
        return new RoundError(key, msg);
    }

    @Test
    void aRepeatedProblemIsLoggedOnceUntilItChangesOrEnds() {
        for (int i = 0; i < 100; i++) {
            log.round(List.of(e("p1", "proxy p1 refused")));
            now.addAndGet(Duration.ofMillis(300).toNanos());
        }
        assertThat(lines).containsExactly("WARN sync: proxy p1 refused");
        log.round(List.of(e("p1", "proxy p1 timed out")));
        log.round(List.of());
        assertThat(lines).containsExactly("WARN sync: proxy p1 refused", "WARN sync: proxy p1 timed out", "INFO sync: p1: no longer failing");
        assertThat(log.failing()).isEmpty();
    }

    @Test
    void aLongLastingProblemIsRepeatedWithACount() {
        log.round(List.of(e("broker", "no broker")));
        for (int i = 0; i < 9; i++) {
            now.addAndGet(Duration.ofSeconds(10).toNanos());
            log.round(List.of(e("broker", "no broker")));
        }
        // logged at t=0 and again at t=60 s (6 rounds suppressed in between)
        assertThat(lines).containsExactly("WARN sync: no broker", "WARN sync: no broker (still failing; 6 times since last logged)");
    }

    @Test
    void keysAreIndependentAndOneLinePerKeyAndRound() {
        log.round(List.of(e("a", "x"), e("b", "y"), e("a", "z")));
        assertThat(lines).containsExactly("WARN sync: x", "WARN sync: y");
        log.round(List.of(e("b", "y")));
        assertThat(lines).endsWith("INFO sync: a: no longer failing");
        assertThat(log.failing()).containsExactly("b");
    }
}
