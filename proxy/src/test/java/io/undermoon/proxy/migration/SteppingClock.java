package io.undermoon.proxy.migration;

import java.util.concurrent.atomic.AtomicLong;

/** A clock whose time moves only when the task pauses: a pause of n ns returns at once, n ns later. */
final class SteppingClock implements MigrationClock {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong slept = new AtomicLong();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        slept.addAndGet(nanos);
        now.addAndGet(nanos);
        Thread.yield();
    }

    void advance(long nanos) {
        now.addAndGet(nanos);
    }

    /** The sum of every pause asked for. */
    long sleptNanos() {
        return slept.get();
    }
}
