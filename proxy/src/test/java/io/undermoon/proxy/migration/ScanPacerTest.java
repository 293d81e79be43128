package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScanPacerTest {
    private static final long MS = 1_000_000L;
    private static final long TARGET = MS; // 1 ms, the default migration_latency_target
    private static final long INTERVAL = 500_000L; // 500 µs, the default scan_interval
    private static final long W = ScanPacer.WINDOW_NANOS;

    /** The latency the probe reports for the window that just ended. */
    private final AtomicLong latency = new AtomicLong(100_000);
    private final SteppingClock clock = new SteppingClock();

    private ScanPacer pacer() {
        return new ScanPacer(latency::get, TARGET, INTERVAL, 16);
    }

    /** One step of {@code work} on the task's clock, then the pause the pacer asks for. */
    private long step(ScanPacer p, long work) throws InterruptedException {
        clock.advance(work);
        long pause = p.pauseAfter(work, clock.nanoTime());
        clock.sleepNanos(pause);
        return pause;
    }

    /** Steps of {@code work} until a whole window has passed. */
    private void window(ScanPacer p, long work) throws InterruptedException {
        long end = clock.nanoTime() + W;
        while (clock.nanoTime() < end) {
            step(p, work);
        }
    }

    @Test
    void aLightLoadThatDoesNotRaiseTheLatencyGetsTheCopyAtFullSpeedWithGrowingSteps() throws Exception {
        ScanPacer p = pacer();
        assertThat(p.count()).isEqualTo(16);
        assertThat(step(p, MS)).isZero(); // starts at full speed
        for (int i = 0; i < 3; i++) {
            window(p, MS);
        }
        // latency 0.1 ms against a 1 ms target: never a pause, and the steps doubled every window
        assertThat(clock.sleptNanos()).isZero();
        assertThat(p.count()).isEqualTo(128);
        for (int i = 0; i < 5; i++) {
            window(p, MS);
        }
        assertThat(p.count()).isEqualTo(16 * ScanPacer.MAX_MULTIPLIER);
        assertThat(p.windowsOver()).isZero();
    }

    @Test
    void overTheTargetTheStepsShrinkFirstThenTheCopyYields() throws Exception {
        ScanPacer p = pacer();
        step(p, MS);
        window(p, MS);
        window(p, MS);
        assertThat(p.count()).isEqualTo(64);
        latency.set(3 * MS); // the clients' latency is over the target
        window(p, MS);
        assertThat(p.count()).isEqualTo(32);
        window(p, MS);
        assertThat(p.count()).isEqualTo(16);
        assertThat(p.share()).isEqualTo(1.0);
        assertThat(step(p, MS)).isZero();
        window(p, MS);
        // now the share halves: a step of 1 ms is followed by a pause of 1 ms
        assertThat(p.share()).isEqualTo(0.5);
        assertThat(step(p, MS)).isEqualTo(MS);
        for (int i = 0; i < 10; i++) {
            window(p, MS);
        }
        assertThat(p.share()).isEqualTo(ScanPacer.MIN_SHARE);
        assertThat(step(p, MS)).isEqualTo(15 * MS);
        assertThat(step(p, 100 * MS)).isEqualTo(ScanPacer.MAX_PAUSE_NANOS); // capped
        // a quick step still keeps scan_interval between two steps
        assertThat(step(p, 10_000)).isEqualTo(INTERVAL - 10_000);
        assertThat(p.windowsOver()).isGreaterThanOrEqualTo(13);
    }

    @Test
    void backUnderTheTargetTheShareGrowsBackThenTheSteps() throws Exception {
        ScanPacer p = pacer();
        latency.set(5 * MS);
        step(p, MS);
        window(p, MS);
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.25);
        latency.set(800_000); // between 75% and 100% of the target: hold
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.25);
        latency.set(200_000);
        for (int i = 0; i < 6; i++) {
            window(p, MS);
        }
        assertThat(p.share()).isEqualTo(1.0);
        assertThat(p.count()).isEqualTo(16);
        window(p, MS);
        assertThat(p.count()).isEqualTo(32);
    }

    @Test
    void nothingMeasuredCountsAsOverTheTarget() throws Exception {
        ScanPacer p = pacer();
        latency.set(-1); // the probe could not reach the Redis
        step(p, MS);
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.5);
        assertThat(p.windowsOver()).isEqualTo(1);
    }

    @Test
    void aZeroIntervalOrAZeroTargetNeverPaces() throws Exception {
        latency.set(50 * MS);
        for (ScanPacer p : new ScanPacer[] {new ScanPacer(latency::get, TARGET, 0, 16),
                new ScanPacer(latency::get, 0, INTERVAL, 16)}) {
            for (int i = 0; i < 3; i++) {
                window(p, MS);
            }
            assertThat(p.count()).isEqualTo(16);
            assertThat(step(p, 10 * MS)).isZero();
        }
        assertThat(clock.sleptNanos()).isZero();
    }

    @Test
    void aLargeScanCountIsKeptAndNotGrownPastTheCap() throws Exception {
        ScanPacer p = new ScanPacer(latency::get, TARGET, INTERVAL, 2000);
        step(p, MS);
        window(p, MS);
        window(p, MS);
        assertThat(p.count()).isEqualTo(2000);
    }

    @Test
    void theProbeGivesTheNinetiethPercentileOfEachWindow() {
        LatencyProbe probe = new LatencyProbe("127.0.0.1:1");
        assertThat(probe.takeHighNanos()).isEqualTo(-1);
        for (int i = 1; i <= 20; i++) {
            probe.record(i * 1000L);
        }
        assertThat(probe.takeHighNanos()).isEqualTo(18_000);
        assertThat(probe.takeHighNanos()).isEqualTo(-1); // taken
        for (int i = 0; i < 1000; i++) {
            probe.record(i == 500 ? 9 * MS : 1000);
        }
        assertThat(probe.takeHighNanos()).isEqualTo(1000); // one slow PING in a full window is not the 90th percentile
    }
}
