package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import java.util.List;

/**
 * Ours: reads the broker's global epoch ({@code GET /epoch}, a few bytes) and, when it differs from
 * the one read before, runs {@code onChange} (the coordinator wakes its metadata sync and migration
 * loops). Every metadata change raises the global epoch, so a scale-out, a committed migration or a
 * failover reaches the proxies one watch interval after the broker made it, instead of up to a whole
 * sync interval later, without running the full sync round (one broker call per proxy) more often.
 */
public final class EpochWatchRound implements Round {
    private final BrokerClient broker;
    private final Runnable onChange;
    private long last = -1;

    public EpochWatchRound(BrokerClient broker, Runnable onChange) {
        this.broker = broker;
        this.onChange = onChange;
    }

    @Override
    public List<RoundError> run() {
        long epoch;
        try {
            epoch = broker.globalEpoch();
        } catch (BrokerCallException e) {
            return List.of(new RoundError("epoch", "reading the broker's global epoch: " + e.getMessage()));
        }
        if (last >= 0 && epoch != last) {
            onChange.run();
        }
        last = epoch;
        return List.of();
    }
}
