package io.undermoon.broker.etcd;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A run of failures of one background activity (the etcd watch while etcd has no quorum, say), so
 * that it is logged once when it starts, then at most every {@code repeatEvery}, and once more when
 * it ends, rather than at every retry. Thread-safe.
 */
final class FailureStreak {
    private final LongSupplier nanoTime;
    private final long repeatEveryNanos;
    private long failures;
    private long startedAt;
    private long lastLoggedAt;

    FailureStreak(LongSupplier nanoTime, Duration repeatEvery) {
        this.nanoTime = nanoTime;
        this.repeatEveryNanos = repeatEvery.toNanos();
    }

    /** Counts a failure; true when it should be logged (the first of a run, or the first after {@code repeatEvery}). */
    synchronized boolean failed() {
        long now = nanoTime.getAsLong();
        failures++;
        if (failures == 1) {
            startedAt = now;
            lastLoggedAt = now;
            return true;
        }
        if (now - lastLoggedAt >= repeatEveryNanos) {
            lastLoggedAt = now;
            return true;
        }
        return false;
    }

    /** Failures in the current run (0: none). */
    synchronized long failures() {
        return failures;
    }

    /** How long the current run has lasted, from its first failure. */
    synchronized Duration length() {
        return failures == 0 ? Duration.ZERO : Duration.ofNanos(nanoTime.getAsLong() - startedAt);
    }

    /** Ends the run; returns how many failures it had (0: there was none to report). */
    synchronized long succeeded() {
        long n = failures;
        failures = 0;
        return n;
    }
}
