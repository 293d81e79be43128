package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacing on the task's clock ({@link SteppingClock}), with the latency and the load set by the test. */
class ScanPacerTest {
    private static final long MS = 1_000_000L;
    private static final long TARGET = MS; // 1 ms, the default migration_latency_target
    private static final long INTERVAL = 500_000L; // 500 µs, the default scan_interval
    private static final long W = ScanPacer.WINDOW_NANOS;

    /** The latency the probe reports for whatever time passed since the pacer last asked. */
    private final AtomicLong latency = new AtomicLong(300_000);
    /** Commands served to clients: a light client, 3,000 a second, unless a test stops it. */
    private final AtomicLong commands = new AtomicLong();
    private long clientsPerSecond = 3000;
    private final SteppingClock clock = new SteppingClock();
    private final LatencySource probe = new LatencySource() {
        @Override
        public long takeHighNanos() {
            return latency.get();
        }

        @Override
        public long commandsToFirst() {
            return 0;
        }
    };

    private ScanPacer pacer() {
        return new ScanPacer(() -> commands.get() + clock.nanoTime() / 1000 * clientsPerSecond / 1_000_000, probe, TARGET,
                INTERVAL, 16);
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

    /** The first step: a quiet pause in which the baseline ({@code quiet}) is measured. */
    private void start(ScanPacer p, long quiet) throws InterruptedException {
        assertThat(step(p, MS)).isEqualTo(ScanPacer.BASELINE_PAUSE_NANOS);
        long loaded = latency.getAndSet(quiet);
        step(p, MS);
        latency.set(loaded);
        assertThat(p.baselineNanos()).isEqualTo(quiet);
    }

    @Test
    void aLightLoadThatTheCopyBarelySlowsGetsItAtFullSpeedWithGrowingSteps() throws Exception {
        ScanPacer p = pacer();
        assertThat(p.count()).isEqualTo(16);
        start(p, 200_000);
        long paused = clock.sleptNanos();
        for (int i = 0; i < 3; i++) {
            window(p, MS);
        }
        // 0.1 ms added against a 1 ms target: no pause, and the steps doubled every window
        assertThat(clock.sleptNanos()).isEqualTo(paused);
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
        start(p, 200_000);
        window(p, MS);
        window(p, MS);
        assertThat(p.count()).isEqualTo(64);
        latency.set(3 * MS); // 2.8 ms added: over the target
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
        for (int i = 0; i < 4; i++) {
            window(p, MS);
        }
        assertThat(p.share()).isEqualTo(ScanPacer.MIN_SHARE);
        assertThat(step(p, MS)).isEqualTo(15 * MS);
        assertThat(step(p, 100 * MS)).isEqualTo(ScanPacer.MAX_PAUSE_NANOS); // capped
        assertThat(p.windowsOver()).isGreaterThanOrEqualTo(7);
    }

    @Test
    void aQuickStepStillKeepsTheScanIntervalWhileThrottled() throws Exception {
        ScanPacer p = pacer();
        start(p, 200_000);
        latency.set(5 * MS);
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.5);
        assertThat(step(p, 10_000)).isEqualTo(INTERVAL - 10_000);
    }

    @Test
    void backUnderTheTargetTheShareGrowsBackThenTheSteps() throws Exception {
        ScanPacer p = pacer();
        start(p, 200_000);
        latency.set(5 * MS);
        window(p, MS);
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.25);
        latency.set(1_000_000); // 0.8 ms added: between 75% and 100% of the target, hold
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.25);
        latency.set(400_000);
        for (int i = 0; i < 6; i++) {
            window(p, MS);
        }
        assertThat(p.share()).isEqualTo(1.0);
        assertThat(p.count()).isEqualTo(16);
        window(p, MS);
        assertThat(p.count()).isEqualTo(32);
    }

    @Test
    void aLatencyThatWasHighBeforeTheCopyIsNotItsCost() throws Exception {
        ScanPacer p = pacer();
        start(p, 4 * MS); // a busy host: 4 ms without the copy
        latency.set(4_500_000);
        for (int i = 0; i < 3; i++) {
            window(p, MS);
        }
        assertThat(p.windowsOver()).isZero();
        assertThat(p.count()).isEqualTo(128);
    }

    @Test
    void theBaselineIsMeasuredAgainEveryFewSecondsWhileClientsAreServed() throws Exception {
        ScanPacer p = pacer();
        start(p, 200_000);
        long pauses = 0;
        long end = clock.nanoTime() + 5 * ScanPacer.BASELINE_EVERY_NANOS;
        while (clock.nanoTime() < end) {
            if (step(p, MS) == ScanPacer.BASELINE_PAUSE_NANOS) {
                pauses++;
            }
        }
        assertThat(pauses).isBetween(4L, 6L);
    }

    @Test
    void withNobodyServedTheCopyRunsAtFullSpeedWhateverTheLatency() throws Exception {
        clientsPerSecond = 0;
        ScanPacer p = pacer();
        start(p, 200_000);
        latency.set(50 * MS);
        long paused = clock.sleptNanos();
        for (int i = 0; i < 40; i++) {
            window(p, MS);
        }
        assertThat(clock.sleptNanos()).isEqualTo(paused); // no baseline pauses either
        assertThat(p.count()).isEqualTo(16 * ScanPacer.MAX_MULTIPLIER);
        // clients arrive: the latency now counts
        clientsPerSecond = 3000;
        window(p, MS);
        window(p, MS);
        assertThat(p.windowsOver()).isPositive();
        assertThat(p.count()).isLessThan(16 * ScanPacer.MAX_MULTIPLIER);
    }

    @Test
    void nothingMeasuredCountsAsOverTheTarget() throws Exception {
        ScanPacer p = pacer();
        start(p, 200_000);
        latency.set(-1); // the probe could not reach the Redis
        window(p, MS);
        assertThat(p.share()).isEqualTo(0.5);
        assertThat(p.windowsOver()).isEqualTo(1);
    }

    @Test
    void aZeroTargetPacesByTheIntervalOnly() throws Exception {
        latency.set(50 * MS);
        ScanPacer p = new ScanPacer(commands::get, probe, 0, INTERVAL, 16);
        for (int i = 0; i < 3; i++) {
            commands.addAndGet(10_000);
            window(p, MS);
        }
        assertThat(p.count()).isEqualTo(16);
        assertThat(p.windowsOver()).isZero();
        assertThat(clock.sleptNanos()).isZero(); // every step took longer than scan_interval
        assertThat(step(p, 100_000)).isEqualTo(INTERVAL - 100_000);
    }

    @Test
    void theIntervalSeparatesTheStartsOfTwoStepsEvenAtFullSpeed() throws Exception {
        clientsPerSecond = 0;
        ScanPacer p = new ScanPacer(commands::get, probe, TARGET, 10_000 * MS, 16);
        assertThat(step(p, MS)).isEqualTo(10_000 * MS - MS); // longer than the baseline pause
        assertThat(step(p, 2 * MS)).isEqualTo(10_000 * MS - 2 * MS);
        assertThat(p.share()).isEqualTo(1.0);
    }

    @Test
    void aLargeScanCountIsKeptAndNotGrownPastTheCap() throws Exception {
        ScanPacer p = new ScanPacer(commands::get, probe, TARGET, INTERVAL, 2000);
        start(p, 100_000);
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
