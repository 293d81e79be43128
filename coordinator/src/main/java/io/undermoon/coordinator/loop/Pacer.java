package io.undermoon.coordinator.loop;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * How a loop waits between rounds: up to {@code interval}, or less when woken (a permit appears in
 * {@code wakeups}). Tests pass their own to run rounds without sleeping.
 */
@FunctionalInterface
public interface Pacer {
    void pause(Duration interval, Semaphore wakeups) throws InterruptedException;

    /** Waits for the interval or a wake-up, whichever comes first; wake-ups that piled up count once. */
    Pacer REAL = (interval, wakeups) -> {
        if (wakeups.tryAcquire(interval.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
            wakeups.drainPermits();
        }
    };
}
