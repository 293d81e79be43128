package io.undermoon.coordinator.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Round} again and again on its own virtual thread: one complete round, its problems
 * to the {@link ErrorLog}, then a pause of {@code interval} (cut short by {@link #wake()}). A round
 * that fails, even unexpectedly, is still followed by the pause, so the loop never spins.
 */
public final class RoundLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoundLoop.class);

    private final String name;
    private final Round round;
    private final Duration interval;
    private final Pacer pacer;
    private final ErrorLog errors;
    private final LongSupplier nanoTime;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong rounds = new AtomicLong();
    private volatile long lastRoundNanos;
    private volatile int lastErrorCount;
    private volatile boolean stopped;
    private Thread thread;
    private String lastUnexpected;
    private final java.util.function.BiConsumer<String, Throwable> onDeath;
    private final RoundListener listener;

    public RoundLoop(String name, Round round, Duration interval, Pacer pacer, ErrorLog errors, LongSupplier nanoTime) {
        this(name, round, interval, pacer, errors, nanoTime, (loop, error) -> { });
    }

    /**
     * @param onDeath called if the loop thread dies of an error no round should ever throw (an
     *                {@link Error} such as OutOfMemoryError); the coordinator then stops
     */
    public RoundLoop(String name, Round round, Duration interval, Pacer pacer, ErrorLog errors, LongSupplier nanoTime,
            java.util.function.BiConsumer<String, Throwable> onDeath) {
        this(name, round, interval, pacer, errors, nanoTime, onDeath, RoundListener.NONE);
    }

    /** @param listener told of every completed round (metrics) */
    public RoundLoop(String name, Round round, Duration interval, Pacer pacer, ErrorLog errors, LongSupplier nanoTime,
            java.util.function.BiConsumer<String, Throwable> onDeath, RoundListener listener) {
        this.onDeath = onDeath;
        this.listener = listener;
        this.name = name;
        this.round = round;
        this.interval = interval;
        this.pacer = pacer;
        this.errors = errors;
        this.nanoTime = nanoTime;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " loop already started");
        }
        thread = Thread.ofVirtual().name("coordinator-" + name).uncaughtExceptionHandler((t, e) -> {
            LOG.error("{} loop died", name, e);
            onDeath.accept(name, e);
        }).start(this::runLoop);
    }

    /** Starts the next round now if the loop is pausing, or right after the current round. */
    public void wake() {
        wakeups.release();
    }

    public String name() {
        return name;
    }

    /** Rounds completed so far. */
    public long rounds() {
        return rounds.get();
    }

    /** Problems met by the last completed round. */
    public int lastProblemCount() {
        return lastErrorCount;
    }

    /** One line for {@code UMCTL DEBUG FUTURE}. */
    public String describe() {
        return "loop " + name + " rounds=" + rounds.get() + " last_round_ms=" + lastRoundNanos / 1_000_000
                + " interval_ms=" + interval.toMillis() + " problems=" + lastErrorCount;
    }

    private void runLoop() {
        while (!stopped) {
            long start = nanoTime.getAsLong();
            List<RoundError> problems;
            try {
                problems = round.run();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                if (!e.toString().equals(lastUnexpected)) { // the stack trace once; the ErrorLog says the rest
                    LOG.error("{} loop: unexpected failure in a round", name, e);
                    lastUnexpected = e.toString();
                }
                problems = List.of(new RoundError("round", "unexpected failure: " + e));
            }
            if (stopped) {
                break; // a round cut short by close(): its "interrupted" problems are not problems
            }
            lastRoundNanos = nanoTime.getAsLong() - start;
            lastErrorCount = problems.size();
            errors.round(problems);
            rounds.incrementAndGet();
            listener.roundDone(name, lastRoundNanos, problems.size());
            try {
                pacer.pause(interval, wakeups);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** Stops the loop, interrupting a round in progress, and waits for it to end (bounded). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            stopped = true;
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        t.interrupt();
        try {
            if (!t.join(Duration.ofSeconds(10))) {
                LOG.error("{} loop did not stop within 10 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
