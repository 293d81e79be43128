package io.undermoon.proxy.migration;

import java.util.function.LongSupplier;

/**
 * The size of each scan step and the pause after it, set by what the copy costs the clients: the
 * latency of the Redis the clients share with the copy (a {@link LatencyProbe}'s high percentile
 * over the last {@link #WINDOW_NANOS}) against the operator's target ({@code
 * migration_latency_target}). Not the mere presence of clients: a light load that the copy does
 * not slow down gets the copy at full speed.
 *
 * <ul>
 *   <li>Every window, the latency is compared with the target. <b>Over</b> it (or unknown: the
 *       probe got no answer): the step shrinks first (halved, down to {@code scan_count}), then the
 *       copy's share of the time is halved (down to {@link #MIN_SHARE}): after a step that took
 *       {@code w} it pauses {@code w x (1 - share) / share}, at least {@code scan_interval - w}.
 *       <b>Under</b> {@link #GROW_BELOW_PERCENT}% of it: the share grows back by {@link #SHARE_STEP}
 *       per window up to 1 (no pause), then the step doubles, up to {@link #MAX_MULTIPLIER} x
 *       {@code scan_count} ({@link #MAX_COUNT} at most). In between: nothing changes.
 *   <li>It starts at full speed with {@code scan_count} keys a step: the first window shows what that costs.
 *   <li>{@code scan_interval} 0, or a target of 0: no pacing at all (the operator asked for speed
 *       over the clients): {@code scan_count} a step, never a pause.
 * </ul>
 *
 * Used by the scan's thread only; the latency is read once per window.
 */
final class ScanPacer {
    /** How often the latency is looked at. */
    static final long WINDOW_NANOS = 100_000_000L;
    /** The copy never gets less than this share of its thread's time (a pause of 15 x the step). */
    static final double MIN_SHARE = 1.0 / 16;
    /** How much share one window under the target gives back. */
    static final double SHARE_STEP = 0.125;
    /** Steps grow while the latency is below this percentage of the target. */
    static final long GROW_BELOW_PERCENT = 75;
    static final int MAX_MULTIPLIER = 16;
    static final int MAX_COUNT = 1024;
    /** The pause's cap (a step that moved one huge key must not stop the copy for long). */
    static final long MAX_PAUSE_NANOS = 1_000_000_000L;

    private final LongSupplier windowLatencyNanos;
    private final long targetNanos;
    private final long intervalNanos;
    private final int baseCount;
    private final boolean off;
    private long windowStart;
    private boolean started;
    private int multiplier = 1;
    private double share = 1;
    private long windowsOver;

    /**
     * @param windowLatencyNanos the latency high percentile since its last call, negative when
     *     nothing was measured (counts as over the target)
     * @param targetNanos        the latency the copy must not push the clients' Redis beyond
     * @param intervalNanos      scan_interval: the least time between two steps while throttled
     * @param baseCount          scan_count: the keys a SCAN asks for, at least
     */
    ScanPacer(LongSupplier windowLatencyNanos, long targetNanos, long intervalNanos, int baseCount) {
        this.windowLatencyNanos = windowLatencyNanos;
        this.targetNanos = targetNanos;
        this.intervalNanos = intervalNanos;
        this.baseCount = Math.max(1, baseCount);
        this.off = intervalNanos <= 0 || targetNanos <= 0;
    }

    /** The COUNT of the next SCAN. */
    int count() {
        return (int) Math.min(Math.max(MAX_COUNT, baseCount), (long) baseCount * multiplier);
    }

    /**
     * The pause after a step that took {@code workNanos} and ended at {@code now} (both from the
     * task's clock); a new window adapts the step and the share first.
     */
    long pauseAfter(long workNanos, long now) {
        if (off) {
            return 0;
        }
        if (!started) {
            started = true;
            windowStart = now;
            windowLatencyNanos.getAsLong(); // what was measured before the copy began is not its cost
        } else if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            adapt(windowLatencyNanos.getAsLong());
        }
        if (share >= 1) {
            return 0;
        }
        long work = Math.max(0, workNanos);
        long yield = (long) (work * (1 - share) / share);
        return Math.min(MAX_PAUSE_NANOS, Math.max(intervalNanos - work, yield));
    }

    private void adapt(long latency) {
        if (latency < 0 || latency > targetNanos) {
            windowsOver++;
            if (multiplier > 1) {
                multiplier = Math.max(1, multiplier / 2);
            } else {
                share = Math.max(MIN_SHARE, share / 2);
            }
        } else if (latency * 100 < targetNanos * GROW_BELOW_PERCENT) {
            if (share < 1) {
                share = Math.min(1, share + SHARE_STEP);
            } else if ((long) baseCount * multiplier < MAX_COUNT && multiplier < MAX_MULTIPLIER) {
                multiplier *= 2;
            }
        }
    }

    /** The copy's current share of its thread's time (1: no pause). */
    double share() {
        return share;
    }

    /** Windows whose latency was over the target. */
    long windowsOver() {
        return windowsOver;
    }
}
