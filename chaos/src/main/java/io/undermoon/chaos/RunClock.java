package io.undermoon.chaos;

/** Milliseconds since the run started: every event of a run is stamped with this clock. */
final class RunClock {
    private final long startNanos = System.nanoTime();

    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChaosInterrupted(e);
        }
    }

    /** The run is being stopped. */
    static final class ChaosInterrupted extends RuntimeException {
        ChaosInterrupted(InterruptedException cause) {
            super("interrupted", cause);
        }
    }
}
