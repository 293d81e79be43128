package io.undermoon.proxy.migration;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * What the event loops may do with the commands of a range being migrated away, and how many of
 * them are running on the source Redis. The event loops call {@link #enter()}, {@link #exit()} and
 * {@link #hold}: lock-free, no allocation beyond the held queue's node. The task's thread moves the
 * mode and waits, without polling, for the commands in flight to drain ({@link #awaitDrained}): the
 * event loop whose {@link #exit()} brings the count to zero wakes it.
 *
 * @param <C> the held command
 */
final class RangeGate<C> {
    /** How the event loops treat commands for the range right now. */
    enum Mode { LOCAL, HOLD, REMOTE }

    private final AtomicLong inFlight = new AtomicLong();
    private final ConcurrentLinkedQueue<C> held = new ConcurrentLinkedQueue<>();
    private final Consumer<C> release;
    private final Runnable onHold;
    private volatile Mode mode;
    /** The task thread parked in {@link #awaitDrained}, or null. */
    private volatile Thread drainWaiter;

    /**
     * @param release re-routes a held command once the mode is no longer HOLD
     * @param onHold  called for every command held (a statistic)
     */
    RangeGate(Mode initial, Consumer<C> release, Runnable onHold) {
        this.mode = initial;
        this.release = release;
        this.onHold = onHold;
    }

    Mode mode() {
        return mode;
    }

    /**
     * True when a command may run on the source Redis now; it then counts as in flight until
     * {@link #exit()}. The count goes up before the mode is read, and the task sets the mode before
     * it waits for the count to reach zero, so no command slips past a switch.
     */
    boolean enter() {
        inFlight.incrementAndGet();
        if (mode == Mode.LOCAL) {
            return true;
        }
        exit();
        return false;
    }

    /** A command that {@link #enter()} let through got its reply (or was not sent after all). */
    void exit() {
        if (inFlight.decrementAndGet() == 0) {
            Thread waiter = drainWaiter;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }

    long inFlight() {
        return inFlight.get();
    }

    /** Keeps the command until the mode changes; false when the range is not being held. */
    boolean hold(C c) {
        if (mode != Mode.HOLD) {
            return false;
        }
        held.add(c);
        onHold.run();
        if (mode != Mode.HOLD) {
            releaseHeld(); // the mode changed meanwhile: the task's release may have run before the add
        }
        return true;
    }

    /** Sets the mode; the caller releases the held commands with {@link #releaseHeld()} when it leaves HOLD. */
    void setMode(Mode next) {
        mode = next;
    }

    /** Hands every held command to the release function. */
    void releaseHeld() {
        C c;
        while ((c = held.poll()) != null) {
            release.accept(c);
        }
    }

    /**
     * Waits (parked, on the task's thread) until no command is in flight or the clock passes
     * {@code deadline}. True when drained.
     */
    boolean awaitDrained(long deadline, MigrationClock clock) throws InterruptedException {
        drainWaiter = Thread.currentThread();
        try {
            while (inFlight.get() > 0) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        } finally {
            drainWaiter = null;
        }
    }
}
