package io.undermoon.proxy.migration;

import java.util.concurrent.TimeUnit;

/**
 * The time a migration task reads and the pauses it makes, injected so that a test can run a
 * task's deadlines (max_migration_time, max_blocking_time) without waiting for them.
 */
public interface MigrationClock {
    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Pauses the calling (task) thread; never called on an event loop. */
    void sleepNanos(long nanos) throws InterruptedException;

    default void sleepMillis(long millis) throws InterruptedException {
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** The real clock. */
    MigrationClock SYSTEM = new MigrationClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };
}
