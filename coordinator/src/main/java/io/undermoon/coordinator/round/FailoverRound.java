package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.loop.Batches;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.model.broker.ProxyView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure handling loop's round (spec §6.7): {@code GET /failures} (the broker's list of proxies
 * reported by a quorum within the TTL), then {@code POST /proxies/failover/<proxy>} for each, 10 at
 * a time. Nothing is sent to proxies here; after a failover {@code onFailover} runs (the coordinator
 * wakes its metadata sync loop, so the new topology reaches the proxies at once rather than after
 * that loop's pause).
 */
public final class FailoverRound implements Round {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRound.class);
    static final int BATCH = 10;

    private final BrokerClient broker;
    private final ExecutorService executor;
    private final Runnable onFailover;

    public FailoverRound(BrokerClient broker, ExecutorService executor, Runnable onFailover) {
        this.broker = broker;
        this.executor = executor;
        this.onFailover = onFailover;
    }

    @Override
    public List<RoundError> run() throws InterruptedException {
        List<String> failures;
        try {
            failures = broker.failures();
        } catch (BrokerCallException e) {
            return List.of(new RoundError("failures", "listing the failed proxies: " + e.getMessage()));
        }
        AtomicBoolean changed = new AtomicBoolean();
        List<RoundError> errors = Batches.run(executor, failures, BATCH, address -> {
            try {
                Optional<ProxyView> replacement = broker.failover(address);
                changed.set(true);
                if (replacement.isPresent()) {
                    LOG.info("failed over proxy {}: replaced by {} (cluster {}, epoch {})", address,
                            replacement.get().address(), replacement.get().clusterName(), replacement.get().epoch());
                } else {
                    LOG.info("failover of proxy {} done without a replacement (it was free, or ordered mode)", address);
                }
                return List.of();
            } catch (BrokerCallException e) {
                // a 409 (e.g. NO_AVAILABLE_RESOURCE) still swapped the roles in the broker
                if (e.kind() == BrokerCallException.Kind.RETRY) {
                    changed.set(true);
                }
                return List.of(new RoundError(address, "failover of proxy " + address + ": " + e.getMessage()));
            }
        });
        if (changed.get()) {
            onFailover.run();
        }
        return errors;
    }
}
