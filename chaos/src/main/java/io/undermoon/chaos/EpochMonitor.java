package io.undermoon.chaos;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntPredicate;

/**
 * About once a second asks every broker that is running (not killed, not frozen) for its global
 * epoch ({@code GET /api/v3/epoch}, 1 s timeout) and hands the answers to an {@link EpochTracker}.
 */
final class EpochMonitor implements AutoCloseable {
    static final long INTERVAL_MILLIS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final BrokerApi broker;
    private final EpochTracker tracker;
    private final IntPredicate running;
    private final RunClock clock;
    private final Background background;

    /** {@code running} tells whether broker {@code i} (of {@link BrokerApi#addresses()}) is up and not frozen. */
    EpochMonitor(BrokerApi broker, EpochTracker tracker, IntPredicate running, RunClock clock) {
        this.broker = broker;
        this.tracker = tracker;
        this.running = running;
        this.clock = clock;
        this.background = new Background("chaos-epoch-monitor", this::loop);
    }

    void start() {
        background.start();
    }

    private void loop() {
        List<String> addresses = broker.addresses();
        while (!background.stopping()) {
            long started = clock.now();
            try {
                for (int i = 0; i < addresses.size() && !background.stopping(); i++) {
                    if (running.test(i)) {
                        OptionalLong e = broker.epochOf(addresses.get(i), TIMEOUT);
                        if (e.isPresent()) {
                            tracker.observe(addresses.get(i), clock.now(), e.getAsLong());
                        }
                    }
                }
            } catch (RunClock.ChaosInterrupted e) {
                return;
            }
            try {
                Thread.sleep(Math.max(10, INTERVAL_MILLIS - (clock.now() - started)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        background.close();
    }
}
