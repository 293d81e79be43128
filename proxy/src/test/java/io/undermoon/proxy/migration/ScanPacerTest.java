package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScanPacerTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 500_000L; // 500 µs, the default scan_interval

    private final AtomicLong commands = new AtomicLong(1_000);

    @Test
    void startsBusyThenRunsUnpacedOnceAWindowPassesWithoutClients() {
        ScanPacer p = new ScanPacer(commands::get, INTERVAL);
        long now = 1_000 * MS;
        // first window: busy until proven idle; a quick step waits out the interval
        assertThat(p.pauseAfter(100_000, now)).isEqualTo(INTERVAL - 100_000);
        assertThat(p.busy()).isTrue();
        // within the window nothing is re-read
        commands.addAndGet(ScanPacer.BUSY_COMMANDS - 1);
        assertThat(p.pauseAfter(100_000, now + 50 * MS)).isEqualTo(INTERVAL - 100_000);
        // a whole window with fewer commands than the threshold: idle, no pause
        assertThat(p.pauseAfter(100_000, now + ScanPacer.WINDOW_NANOS)).isZero();
        assertThat(p.busy()).isFalse();
        assertThat(p.pauseAfter(3 * MS, now + ScanPacer.WINDOW_NANOS + MS)).isZero();
    }

    @Test
    void underLoadTheScanYieldsInProportionToItsStep() {
        ScanPacer p = new ScanPacer(commands::get, INTERVAL);
        long now = 5_000 * MS;
        p.pauseAfter(0, now);
        commands.addAndGet(ScanPacer.BUSY_COMMANDS);
        long next = now + ScanPacer.WINDOW_NANOS;
        // a slow step (the source is busy): waits YIELD_FACTOR times as long as it took
        assertThat(p.pauseAfter(2 * MS, next)).isEqualTo(ScanPacer.YIELD_FACTOR * 2 * MS);
        assertThat(p.busy()).isTrue();
        // a fast step: the configured interval still separates two steps
        assertThat(p.pauseAfter(100_000, next + MS)).isEqualTo(INTERVAL - 100_000);
        // a step that moved one huge key: the yield is capped
        assertThat(p.pauseAfter(900 * MS, next + 2 * MS)).isEqualTo(ScanPacer.MAX_YIELD_NANOS);
    }

    @Test
    void clientsComingBackMakeAnIdleScanYieldAgainWithinAWindow() {
        ScanPacer p = new ScanPacer(commands::get, INTERVAL);
        long now = 0;
        p.pauseAfter(0, now);
        assertThat(p.pauseAfter(0, now += ScanPacer.WINDOW_NANOS)).isZero();
        commands.addAndGet(10_000);
        assertThat(p.pauseAfter(0, now + ScanPacer.WINDOW_NANOS / 2)).isZero();
        assertThat(p.pauseAfter(1 * MS, now + ScanPacer.WINDOW_NANOS)).isEqualTo(ScanPacer.YIELD_FACTOR * MS);
    }

    @Test
    void aCountGoingBackwardsCountsAsBusy() {
        ScanPacer p = new ScanPacer(commands::get, INTERVAL);
        p.pauseAfter(0, 0);
        assertThat(p.pauseAfter(0, ScanPacer.WINDOW_NANOS)).isZero();
        commands.set(3); // the source Redis restarted: its counter began again
        assertThat(p.pauseAfter(1 * MS, 2 * ScanPacer.WINDOW_NANOS)).isEqualTo(ScanPacer.YIELD_FACTOR * MS);
    }

    @Test
    void aZeroIntervalNeverPauses() {
        ScanPacer p = new ScanPacer(commands::get, 0);
        commands.addAndGet(1_000_000);
        assertThat(p.pauseAfter(10 * MS, 0)).isZero();
        commands.addAndGet(1_000_000);
        assertThat(p.pauseAfter(10 * MS, ScanPacer.WINDOW_NANOS)).isZero();
    }
}
