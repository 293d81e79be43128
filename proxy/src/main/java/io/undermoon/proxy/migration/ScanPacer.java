package io.undermoon.proxy.migration;

import java.util.function.LongSupplier;

/**
 * The pause of the scan after each step, adapted to the proxy's client load. The scan and the
 * clients share the source Redis and, on a small host, the same cores; a fixed pace is either too
 * slow when nobody is waiting or too greedy when clients are. So:
 *
 * <ul>
 *   <li><b>idle</b> (fewer than {@link #BUSY_COMMANDS} commands in the last {@link #WINDOW_NANOS},
 *       counting those this proxy received and those the source Redis processed for others than
 *       the scan): no pause, the copy runs as fast as the source answers;
 *   <li><b>busy</b>: after a step that took {@code w} (its round trip: SCAN plus the MIGRATE of the
 *       previous step's keys), a pause of {@code max(scan_interval - w, min(YIELD_FACTOR x w,
 *       1 s))}, so the copy keeps at most a fifth of its connection's time, less as the source gets
 *       slower under the clients' load, and at least the configured scan_interval between steps;
 *   <li>{@code scan_interval} 0: never a pause (the operator asked for speed over the clients).
 * </ul>
 *
 * Used by the scan's thread only; the command count is read once per window.
 */
final class ScanPacer {
    /** How often the load is looked at again. */
    static final long WINDOW_NANOS = 100_000_000L;
    /** Commands per window from which the proxy counts as busy (the coordinator alone sends a few per second). */
    static final long BUSY_COMMANDS = 20;
    /** Under load, the scan waits this many times as long as its last step took. */
    static final long YIELD_FACTOR = 4;
    /** The yield's cap (a step that moved one huge key must not stop the copy for long). */
    static final long MAX_YIELD_NANOS = 1_000_000_000L;

    private final LongSupplier commands;
    private final long intervalNanos;
    private long windowStart;
    private long windowCommands;
    private boolean busy;
    private boolean started;

    ScanPacer(LongSupplier commands, long intervalNanos) {
        this.commands = commands;
        this.intervalNanos = intervalNanos;
    }

    /**
     * The pause after a step that took {@code workNanos} and ended at {@code now} (both from
     * {@link System#nanoTime()}). The first window counts as busy: a migration starts gently until
     * it has seen that nobody is served.
     */
    long pauseAfter(long workNanos, long now) {
        if (intervalNanos <= 0) {
            return 0;
        }
        if (!started) {
            started = true;
            busy = true;
            windowStart = now;
            windowCommands = commands.getAsLong();
        } else if (now - windowStart >= WINDOW_NANOS) {
            long c = commands.getAsLong();
            long served = c - windowCommands;
            busy = served >= BUSY_COMMANDS || served < 0; // < 0: the count was reset (a restarted source)
            windowCommands = c;
            windowStart = now;
        }
        if (!busy) {
            return 0;
        }
        return Math.max(intervalNanos - workNanos, Math.min(MAX_YIELD_NANOS, YIELD_FACTOR * Math.max(0, workNanos)));
    }

    boolean busy() {
        return busy;
    }
}
