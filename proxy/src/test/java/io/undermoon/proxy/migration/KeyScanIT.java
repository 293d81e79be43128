package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.MigrationConfig;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The scan between two real Redis: it copies the range's keys, and only while the destination confirms. */
class KeyScanIT {
    private static final RangeList LOW_HALF = RangeList.of(new Range(0, 8191));
    /** scan_interval 0: no pacing; scan_count 7 makes many steps. */
    private static final MigrationConfig CONFIG = new MigrationConfig(3600, 1000, 0, 7);

    /** A latency that never changes. */
    private static final LatencySource QUIET = fixedLatency(0, 0);

    /** Reports {@code quiet} for the first baseline (the pause before the copy), {@code loaded} after. */
    private static LatencySource fixedLatency(long quiet, long loaded) {
        AtomicInteger calls = new AtomicInteger();
        return new LatencySource() {
            @Override
            public long takeHighNanos() {
                return calls.incrementAndGet() == 2 ? quiet : loaded;
            }

            @Override
            public long commandsToFirst() {
                return 0;
            }
        };
    }

    private static MigrationTask task(RedisProcess src, RedisProcess dst) throws Exception {
        return MigrationTask.parse("mycluster MIGRATING 1 0-8191 5 127.0.0.1:1 " + src.address() + " 127.0.0.1:2 "
                + dst.address());
    }

    private static KeyMover mover(RedisProcess src, RedisProcess dst, MigrationStats stats) {
        return new KeyMover(src.address(), dst.address(), LOW_HALF, Duration.ofSeconds(5), MigrateHead.TIMEOUT_MILLIS,
                stats);
    }

    @Test
    void copiesTheRangesKeysOnlyAfterTheDestinationConfirms() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            int inRange = 0;
            for (int i = 0; i < 200; i++) {
                String k = "key" + i;
                Resp.command(src.address(), "SET", k, "v" + i);
                if (LOW_HALF.contains(SlotHash.slot(k.getBytes(StandardCharsets.UTF_8)))) {
                    inRange++;
                }
            }
            MigrationStats stats = new MigrationStats();
            KeyMover mover = mover(src, dst, stats);
            AtomicInteger asked = new AtomicInteger();
            // the importing proxy does not know the switch for the first two confirmations
            KeyScan scan = new KeyScan(task(src, dst), CONFIG, mover, stats, MigrationClock.SYSTEM,
                    () -> asked.incrementAndGet() > 2, () -> 0, QUIET, 1_000_000);
            try {
                assertThat(scan.run(System.nanoTime() + TimeUnit.MINUTES.toNanos(1), () -> false)).isTrue();
            } finally {
                mover.close();
            }
            assertThat(stats.destinationUnconfirmed.sum()).isEqualTo(2);
            assertThat(Resp.command(dst.address(), "DBSIZE")).isEqualTo(":" + inRange);
            assertThat(Resp.command(src.address(), "DBSIZE")).isEqualTo(":" + (200 - inRange));
            assertThat(stats.movedKeys.sum()).isEqualTo(inRange);
            assertThat(stats.scanSteps.sum()).isGreaterThan(1);
        }
    }

    @Test
    void movesNothingWhileTheDestinationDoesNotConfirmAndStopsAtTheDeadline() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            for (int i = 0; i < 50; i++) {
                Resp.command(src.address(), "SET", "key" + i, "v");
            }
            MigrationStats stats = new MigrationStats();
            KeyMover mover = mover(src, dst, stats);
            SteppingClock clock = new SteppingClock();
            KeyScan scan = new KeyScan(task(src, dst), CONFIG, mover, stats, clock, () -> false, () -> 0, QUIET, 1_000_000);
            try {
                assertThat(scan.run(clock.nanoTime() + TimeUnit.SECONDS.toNanos(1), () -> false)).isFalse();
            } finally {
                mover.close();
            }
            // asked again every 10 ms of the task's time until the deadline, without waiting for it
            assertThat(stats.destinationUnconfirmed.sum()).isBetween(99L, 101L);
            assertThat(stats.scanSteps.sum()).isZero();
            assertThat(Resp.command(src.address(), "DBSIZE")).isEqualTo(":50");
            assertThat(Resp.command(dst.address(), "DBSIZE")).isEqualTo(":0");
        }
    }

    @Test
    void theScanYieldsOnlyWhileTheClientsLatencyIsOverTheTarget() throws Exception {
        MigrationConfig paced = new MigrationConfig(3600, 1000, 500, 7);
        long target = TimeUnit.MILLISECONDS.toNanos(1);
        for (long latency : new long[] {target / 5, 3 * target}) {
            try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
                for (int i = 0; i < 400; i++) {
                    Resp.command(src.address(), "SET", "key" + i, "v");
                }
                MigrationStats stats = new MigrationStats();
                KeyMover mover = mover(src, dst, stats);
                SteppingClock clock = new SteppingClock();
                // 20 ms of the task's time pass between two steps: several pacing windows during the scan
                AtomicLong clients = new AtomicLong();
                // every reading of the time moves it 1 ms on: a step takes a few ms of the task's time
                MigrationClock ticking = new MigrationClock() {
                    @Override
                    public long nanoTime() {
                        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
                        return clock.nanoTime();
                    }

                    @Override
                    public void sleepNanos(long nanos) throws InterruptedException {
                        clock.sleepNanos(nanos);
                    }
                };
                KeyScan scan = new KeyScan(task(src, dst), paced, mover, stats, ticking, () -> true,
                        () -> clients.addAndGet(1000), fixedLatency(target / 10, latency), target);
                try {
                    assertThat(scan.run(clock.nanoTime() + TimeUnit.HOURS.toNanos(1), () -> {
                        clock.advance(TimeUnit.MILLISECONDS.toNanos(20));
                        return false;
                    })).isTrue();
                } finally {
                    mover.close();
                }
                assertThat(Resp.command(src.address(), "DBSIZE")).isEqualTo(":" + (400 - stats.movedKeys.sum()));
                assertThat(stats.movedKeys.sum()).isPositive();
                // steps longer than scan_interval (500 µs): at full speed the only pause is the quiet
                // one before the copy, in which the latency without it is measured
                if (latency < target) {
                    assertThat(stats.scanWindowsOverTarget.sum()).isZero();
                    assertThat(clock.sleptNanos()).isEqualTo(ScanPacer.BASELINE_PAUSE_NANOS);
                } else {
                    assertThat(stats.scanWindowsOverTarget.sum()).isPositive();
                    assertThat(stats.scanStepsPaced.sum()).isGreaterThan(5);
                    assertThat(clock.sleptNanos()).isGreaterThan(ScanPacer.BASELINE_PAUSE_NANOS);
                }
            }
        }
    }

    @Test
    void aStoppedScanReturnsAtOnce() throws Exception {
        try (RedisProcess src = RedisProcess.start(); RedisProcess dst = RedisProcess.start()) {
            Resp.command(src.address(), "SET", "key1", "v");
            MigrationStats stats = new MigrationStats();
            KeyMover mover = mover(src, dst, stats);
            KeyScan scan = new KeyScan(task(src, dst), CONFIG, mover, stats, MigrationClock.SYSTEM, () -> true, () -> 0, QUIET,
                    1_000_000);
            try {
                assertThat(scan.run(System.nanoTime() + TimeUnit.MINUTES.toNanos(1), () -> true)).isFalse();
            } finally {
                mover.close();
            }
            assertThat(stats.scanSteps.sum()).isZero();
        }
    }
}
