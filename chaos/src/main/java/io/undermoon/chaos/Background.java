package io.undermoon.chaos;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The daemon thread of a harness monitor: runs its loop until {@link #close()}, which asks the loop
 * to stop ({@link #stopping()}), interrupts a wait in progress and waits up to 5 s for the thread.
 */
final class Background implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Background(String name, Runnable loop) {
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(loop);
    }

    void start() {
        thread.start();
    }

    /** True once {@link #close()} was called: the loop should return. */
    boolean stopping() {
        return stop.get();
    }

    @Override
    public void close() {
        stop.set(true);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
