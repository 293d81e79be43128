package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.loop.Batches;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.proxy.ProxyClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure detection loop's round (spec §6.3): PING every proxy except the failed ones, at most 30
 * at a time (a proxy's check starts as soon as another's ends, so a hung proxy delays no one else's),
 * and report each that does not answer with {@code POST /failures/<proxy>/<reporter_id>}. The
 * broker applies the quorum and the TTL; the coordinator decides nothing more here. After a report
 * {@code onReport} runs (the coordinator wakes its failover loop, so a failover does not wait for
 * that loop's pause).
 */
public final class DetectionRound implements Round {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionRound.class);
    static final int BATCH = 30;

    private final BrokerClient broker;
    private final ProxyClient pingClient;
    private final PingDetector detector;
    private final String reporterId;
    private final ExecutorService executor;
    private final Runnable onReport;

    public DetectionRound(BrokerClient broker, ProxyClient pingClient, int attempts, String reporterId,
            ExecutorService executor, Runnable onReport) {
        this.broker = broker;
        this.pingClient = pingClient;
        this.detector = new PingDetector(pingClient, attempts);
        this.reporterId = reporterId;
        this.executor = executor;
        this.onReport = onReport;
    }

    @Override
    public List<RoundError> run() throws InterruptedException {
        ProxyTargets targets = ProxyTargets.fetch(broker);
        pingClient.retainOnly(targets.addresses());
        List<RoundError> errors = new ArrayList<>(targets.errors());
        AtomicBoolean reported = new AtomicBoolean();
        errors.addAll(Batches.runConcurrently(executor, targets.addresses(), BATCH, address -> {
            String failure = detector.check(address);
            if (failure == null) {
                return List.of();
            }
            List<RoundError> out = new ArrayList<>();
            out.add(new RoundError(address, "proxy " + address + " is not answering PING: " + failure + "; reported"));
            try {
                broker.reportFailure(address, reporterId);
                reported.set(true);
            } catch (BrokerCallException e) {
                out.add(new RoundError("report " + address, "cannot report the failure of proxy " + address + ": "
                        + e.getMessage()));
            }
            return out;
        }));
        if (reported.get()) {
            LOG.debug("reported failed proxies; waking the failover loop");
            onReport.run();
        }
        return errors;
    }
}
