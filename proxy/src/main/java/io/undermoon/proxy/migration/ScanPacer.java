package io.undermoon.proxy.migration;

import java.util.function.LongSupplier;

/**
 * The size of each scan step and the pause after it, set by what the copy costs the clients: the
 * latency it adds to the Redis the clients share with it, against the operator's target ({@code
 * migration_latency_target}). Not the mere presence of clients: a load that the copy does not slow
 * down gets the copy at full speed.
 *
 * <ul>
 *   <li><b>Nobody served</b> (fewer than {@link #BUSY_COMMANDS} commands in a {@link #WINDOW_NANOS}
 *       window, counting those this proxy received and those the source Redis processed for others
 *       than the copy): full speed, the step doubling every window up to {@link #MAX_MULTIPLIER} x
 *       {@code scan_count} ({@link #MAX_COUNT} at most).
 *   <li><b>Clients served</b>: the added latency is the high percentile of a {@link LatencyProbe}
 *       over the last window minus a baseline, the same measured while the copy pauses for {@link
 *       #BASELINE_PAUSE_NANOS} (at the start, then every {@link #BASELINE_EVERY_NANOS} while clients
 *       are served). Over the target (or nothing measured): the step shrinks first (halved, down to
 *       {@code scan_count}), then the copy's share of the time is halved (down to {@link #MIN_SHARE}):
 *       after a step that took {@code w} it pauses {@code w x (1 - share) / share}, at least {@code
 *       scan_interval - w}. Under {@link #GROW_BELOW_PERCENT}% of it: the share grows back by {@link
 *       #SHARE_STEP} per window up to 1 (no pause), then the step doubles. In between: no change.
 *   <li>Always, {@code scan_interval} at least between the starts of two steps (0: none).
 *   <li>A target of 0: no pacing by latency ({@code scan_count} a step, {@code scan_interval} apart).
 * </ul>
 *
 * Used by the scan's thread only; the latency and the command count are read once per window.
 */
final class ScanPacer {
    /** How often the latency and the load are looked at. */
    static final long WINDOW_NANOS = 100_000_000L;
    /** Commands per window from which clients count as served (the coordinator alone sends a few per second). */
    static final long BUSY_COMMANDS = 20;
    /** The quiet pause in which the latency without the copy is measured. */
    static final long BASELINE_PAUSE_NANOS = 50_000_000L;
    static final long BASELINE_EVERY_NANOS = 2_000_000_000L;
    /** The copy never gets less than this share of its thread's time (a pause of 15 x the step). */
    static final double MIN_SHARE = 1.0 / 16;
    /** How much share one window under the target gives back. */
    static final double SHARE_STEP = 0.125;
    /** Steps grow while the added latency is below this percentage of the target. */
    static final long GROW_BELOW_PERCENT = 75;
    static final int MAX_MULTIPLIER = 16;
    static final int MAX_COUNT = 1024;
    /** The pause's cap (a step that moved one huge key must not stop the copy for long). */
    static final long MAX_PAUSE_NANOS = 1_000_000_000L;

    private final LongSupplier commands;
    private final LatencySource latency;
    private final long targetNanos;
    private final long intervalNanos;
    private final int baseCount;
    private final boolean off;
    private boolean started;
    private long windowStart;
    private long windowCommands;
    private boolean inBaseline;
    private long nextBaselineAt;
    private long baselineNanos = -1;
    private int multiplier = 1;
    private double share = 1;
    private long windowsOver;
    private long clientWindows;
    private long addedMicrosSum;

    /**
     * @param commands      commands served to others than the copy so far (this proxy's and the source Redis's)
     * @param latency       the clients' latency, measured
     * @param targetNanos   the latency the copy may add at most
     * @param intervalNanos scan_interval: the least time between the starts of two steps
     * @param baseCount     scan_count: the keys a SCAN asks for, at least
     */
    ScanPacer(LongSupplier commands, LatencySource latency, long targetNanos, long intervalNanos, int baseCount) {
        this.commands = commands;
        this.latency = latency;
        this.targetNanos = targetNanos;
        this.intervalNanos = intervalNanos;
        this.baseCount = Math.max(1, baseCount);
        this.off = targetNanos <= 0;
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
        long work = Math.max(0, workNanos);
        long spacing = Math.max(0, intervalNanos - work); // scan_interval between the starts of two steps
        if (off) {
            return spacing;
        }
        if (!started) {
            // the first step: measure the latency without the copy before going on
            started = true;
            windowStart = now;
            windowCommands = commands.getAsLong();
            return Math.max(spacing, baselinePause(now));
        }
        if (inBaseline) {
            inBaseline = false;
            long quiet = latency.takeHighNanos();
            if (quiet >= 0) {
                baselineNanos = baselineNanos < 0 ? quiet : (baselineNanos + quiet) / 2;
            }
        } else if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            long c = commands.getAsLong();
            long served = c - windowCommands;
            windowCommands = c;
            long measured = latency.takeHighNanos();
            if (served >= 0 && served < BUSY_COMMANDS) {
                share = 1; // nobody to slow down
                grow();
            } else {
                long added = measured < 0 ? -1 : Math.max(0, measured - Math.max(0, baselineNanos));
                if (added >= 0) {
                    clientWindows++;
                    addedMicrosSum += added / 1000;
                }
                adapt(added);
                if (now - nextBaselineAt >= 0) {
                    return Math.max(spacing, baselinePause(now));
                }
            }
        }
        if (share >= 1) {
            return spacing;
        }
        long yield = (long) (work * (1 - share) / share);
        return Math.max(spacing, Math.min(MAX_PAUSE_NANOS, yield));
    }

    private long baselinePause(long now) {
        latency.takeHighNanos(); // what came before the pause is not the baseline
        inBaseline = true;
        nextBaselineAt = now + BASELINE_EVERY_NANOS;
        return BASELINE_PAUSE_NANOS;
    }

    /** One window of clients: {@code added} nanoseconds of latency, -1 when unknown. */
    private void adapt(long added) {
        if (added < 0 || added > targetNanos) {
            windowsOver++;
            if (multiplier > 1) {
                multiplier = Math.max(1, multiplier / 2);
            } else {
                share = Math.max(MIN_SHARE, share / 2);
            }
        } else if (added * 100 < targetNanos * GROW_BELOW_PERCENT) {
            if (share < 1) {
                share = Math.min(1, share + SHARE_STEP);
            } else {
                grow();
            }
        }
    }

    private void grow() {
        if ((long) baseCount * multiplier < MAX_COUNT && multiplier < MAX_MULTIPLIER) {
            multiplier *= 2;
        }
    }

    /** The copy's current share of its thread's time (1: no pause). */
    double share() {
        return share;
    }

    /** Windows with clients in which the added latency was over the target. */
    long windowsOver() {
        return windowsOver;
    }

    /** Windows with clients in which the latency was measured. */
    long clientWindows() {
        return clientWindows;
    }

    /** The sum of the latency added in those windows, microseconds. */
    long addedMicrosSum() {
        return addedMicrosSum;
    }

    /** The latency measured while the copy paused, -1 before the first measurement. */
    long baselineNanos() {
        return baselineNanos;
    }
}
