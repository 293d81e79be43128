package io.undermoon.proxy.migration;

import io.undermoon.model.MigrationConfig;
import io.undermoon.model.umctl.MigrationTask;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of a switched range: SCAN over the source Redis, each step moving the range's keys of
 * the previous one ({@link KeyMover#scanOnce}), sized and paced by what it costs the clients
 * ({@link ScanPacer}, fed by a {@link LatencyProbe}), and only while the importing proxy keeps
 * confirming that it holds the range. Runs on the task's thread.
 */
final class KeyScan {
    private static final Logger LOG = LoggerFactory.getLogger(KeyScan.class);
    /** How old the destination's last confirmation may be when the scan moves keys. */
    static final long DESTINATION_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long DESTINATION_RETRY_MILLIS = 10;
    static final long SOURCE_RETRY_MILLIS = 50;

    private final MigrationTask identity;
    private final MigrationConfig config;
    private final KeyMover mover;
    private final MigrationStats stats;
    private final MigrationClock clock;
    private final BooleanSupplier destinationConfirms;
    private final LongSupplier proxyLoad;
    private final LatencySource latency;
    private final long latencyTargetNanos;
    private long destinationConfirmedAt;
    /** The source's load last read (this scan's thread only). */
    private long lastSourceLoad;

    /**
     * @param destinationConfirms asks the importing proxy whether it still holds the switched range
     *     (an idempotent PRESWITCH); true when it answered OK
     * @param proxyLoad the number of commands this proxy has received so far
     * @param latency the clients' latency on the source and destination Redis ({@link LatencyProbe})
     * @param latencyTargetNanos migration_latency_target: the latency the copy may add (0: no pacing)
     */
    KeyScan(MigrationTask identity, MigrationConfig config, KeyMover mover, MigrationStats stats, MigrationClock clock,
            BooleanSupplier destinationConfirms, LongSupplier proxyLoad, LatencySource latency,
            long latencyTargetNanos) {
        this.identity = identity;
        this.config = config;
        this.mover = mover;
        this.stats = stats;
        this.clock = clock;
        this.destinationConfirms = destinationConfirms;
        this.proxyLoad = proxyLoad;
        this.latency = latency;
        this.latencyTargetNanos = latencyTargetNanos;
    }

    /**
     * Copies every key of the range; true when the cursor came back to 0, false when {@code stopped}
     * or the clock passed {@code deadline} first.
     */
    boolean run(long deadline, BooleanSupplier stopped) throws InterruptedException {
        ScanPacer pacer = new ScanPacer(this::loadNow, latency, latencyTargetNanos,
                TimeUnit.MICROSECONDS.toNanos(config.scanInterval()), (int) Math.min(Integer.MAX_VALUE, config.scanCount()));
        destinationConfirmedAt = clock.nanoTime() - DESTINATION_CHECK_NANOS; // the first step asks
        String cursor = "0";
        boolean scanned = false; // a step that is retried must not end the scan before its first SCAN
        while (!scanned || !cursor.equals("0")) {
            if (stopped.getAsBoolean() || clock.nanoTime() - deadline > 0) {
                return false;
            }
            if (!destinationStillImporting()) {
                clock.sleepMillis(DESTINATION_RETRY_MILLIS);
                continue;
            }
            try {
                long t0 = clock.nanoTime();
                cursor = mover.scanOnce(cursor, pacer.count());
                scanned = true;
                long t1 = clock.nanoTime();
                long over = pacer.windowsOver();
                long windows = pacer.clientWindows();
                long added = pacer.addedMicrosSum();
                long pause = pacer.pauseAfter(t1 - t0, t1);
                stats.scanSteps.increment();
                stats.scanWindowsOverTarget.add(pacer.windowsOver() - over);
                stats.scanClientWindows.add(pacer.clientWindows() - windows);
                stats.scanAddedLatencyMicros.add(pacer.addedMicrosSum() - added);
                if (pause > 0) {
                    stats.scanStepsPaced.increment();
                    stats.scanPauseMicros.add(pause / 1000);
                    clock.sleepNanos(pause);
                }
            } catch (IOException e) {
                stats.sourceErrors.increment();
                LOG.warn("migration {}: {}; retrying", identity, e.getMessage());
                mover.close();
                clock.sleepMillis(SOURCE_RETRY_MILLIS);
            }
        }
        LOG.info("migration {}: all keys copied", identity);
        return true;
    }

    /**
     * Before moving keys, the importing proxy must still hold the switched range: confirmed at most
     * {@link #DESTINATION_CHECK_NANOS} before each step. When that proxy dies its Redis may live on
     * while the broker promotes the Redis's replica in its place; a MIGRATE to the orphaned Redis
     * after that promotion would delete keys from the source that the cluster no longer has
     * anywhere (found by the chaos harness: ballast keys lost after a proxy restart during a
     * scale-out). The coordinator needs far longer than this interval to notice the death and
     * promote, so the scan stops moving before the promotion and waits for the metadata that names
     * the new destination (this task is then replaced).
     */
    private boolean destinationStillImporting() {
        if (clock.nanoTime() - destinationConfirmedAt < DESTINATION_CHECK_NANOS) {
            return true;
        }
        if (!destinationConfirms.getAsBoolean()) {
            stats.destinationUnconfirmed.increment();
            return false;
        }
        destinationConfirmedAt = clock.nanoTime();
        return true;
    }

    /**
     * The load that makes the copy look at its cost: commands this proxy received plus commands the
     * source Redis processed for others (clients reach it through the importing proxy too, and
     * after a switch of every slot the migrating proxy may see none of them), but not the probe's
     * PINGs. When the source cannot be asked, counts as busy; the next step reconnects.
     */
    private long loadNow() {
        long source;
        try {
            source = mover.othersCommandsOnSource() - latency.commandsToFirst();
        } catch (IOException e) {
            source = lastSourceLoad + ScanPacer.BUSY_COMMANDS;
        }
        lastSourceLoad = source;
        return proxyLoad.getAsLong() + source;
    }
}
