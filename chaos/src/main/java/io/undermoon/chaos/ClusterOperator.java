package io.undermoon.chaos;

import io.undermoon.model.broker.ClusterInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-level actions, each on a thread of its own so that faults keep coming meanwhile:
 * scaling the main cluster out (4 to 8 nodes) and in through the auto-scale API, called again
 * until the cluster has the target size with no migration (bounded by {@link #SCALE_TIMEOUT_MILLIS}),
 * and creating or deleting the extra cluster (a created one gets a checker client once it is
 * served; a deleted one is swept first).
 */
final class ClusterOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperator.class);
    static final String MAIN = "chaos-main";
    static final String EXTRA = "chaos-extra";
    static final long SCALE_TIMEOUT_MILLIS = 180_000;
    private static final long SERVE_TIMEOUT_MILLIS = 90_000;
    private static final List<String> TRANSIENT = List.of("MIGRATION_RUNNING", "NODE_NUMBER_CHANGING", "RETRY", "PROXY_NOT_SYNC");

    private final BrokerApi broker;
    private final CheckRegistry checks;
    private final ConvergenceCheck convergence;
    private final Timeline timeline;
    private final RunClock clock;
    private final ExecutorService scaler = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chaos-scaler").factory());
    private final ExecutorService lifecycle = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chaos-lifecycle").factory());
    private final AtomicReference<Future<?>> scaling = new AtomicReference<>();
    private final AtomicReference<Future<?>> changing = new AtomicReference<>();

    ClusterOperator(BrokerApi broker, CheckRegistry checks, ConvergenceCheck convergence, Timeline timeline, RunClock clock) {
        this.broker = broker;
        this.checks = checks;
        this.convergence = convergence;
        this.timeline = timeline;
        this.clock = clock;
    }

    void scaleAsync() {
        Future<?> f = scaling.get();
        if (f != null && !f.isDone()) {
            timeline.add(new FaultEvent(clock.now(), FaultKind.SCALE_OUT, MAIN, 0, "skipped: a scale is running"));
            return;
        }
        scaling.set(scaler.submit(this::scale));
    }

    void lifecycleAsync() {
        Future<?> f = changing.get();
        if (f != null && !f.isDone()) {
            timeline.add(new FaultEvent(clock.now(), FaultKind.CLUSTER_CREATE, EXTRA, 0, "skipped: a change is running"));
            return;
        }
        changing.set(lifecycle.submit(this::createOrDelete));
    }

    private void scale() {
        long started = clock.now();
        Optional<ClusterInfo> first = infoWithin(started + 30_000, MAIN);
        if (first.isEmpty()) {
            timeline.add(new FaultEvent(started, FaultKind.SCALE_OUT, MAIN, 0, "skipped: broker unavailable"));
            return;
        }
        int target = first.get().nodeNumberWithSlots() <= 4 ? 8 : 4;
        FaultKind kind = target == 8 ? FaultKind.SCALE_OUT : FaultKind.SCALE_IN;
        LOG.info("action: scale {} to {} nodes", MAIN, target);
        String lastError = "";
        int sameError = 0;
        while (clock.now() - started < SCALE_TIMEOUT_MILLIS) {
            try {
                Optional<ClusterInfo> info = broker.info(MAIN);
                if (info.isEmpty()) {
                    timeline.problem(MAIN + " disappeared from the broker");
                    return;
                }
                ClusterInfo i = info.get();
                if (!i.isMigrating() && i.nodeNumber() == target && i.nodeNumberWithSlots() == target) {
                    timeline.add(new FaultEvent(started, kind, MAIN, clock.now() - started, "ok"));
                    return;
                }
                if (!i.isMigrating()) {
                    BrokerApi.Reply r = broker.autoScale(MAIN, target);
                    if (!r.ok()) {
                        if (r.error().equals("NO_AVAILABLE_RESOURCE") && kind == FaultKind.SCALE_OUT && i.nodeNumber() == 4) {
                            timeline.add(new FaultEvent(started, kind, MAIN, clock.now() - started, "skipped: no free proxies"));
                            return;
                        }
                        sameError = r.error().equals(lastError) ? sameError + 1 : 1;
                        lastError = r.error();
                        if (!TRANSIENT.contains(r.error()) && sameError >= 5) {
                            break;
                        }
                    }
                }
            } catch (BrokerApi.Unavailable e) {
                lastError = "broker unavailable";
            }
            RunClock.sleep(1000);
        }
        String outcome = "did not finish in " + (clock.now() - started) / 1000 + " s (last error: " + lastError + ")";
        timeline.add(new FaultEvent(started, kind, MAIN, clock.now() - started, outcome));
        timeline.problem("scale of " + MAIN + " to " + target + " nodes " + outcome);
    }

    private Optional<ClusterInfo> infoWithin(long deadline, String name) {
        while (clock.now() < deadline) {
            try {
                return broker.info(name);
            } catch (BrokerApi.Unavailable e) {
                RunClock.sleep(1000);
            }
        }
        return Optional.empty();
    }

    private void createOrDelete() {
        long started = clock.now();
        boolean exists;
        try {
            exists = broker.info(EXTRA).isPresent();
        } catch (BrokerApi.Unavailable e) {
            timeline.add(new FaultEvent(started, FaultKind.CLUSTER_CREATE, EXTRA, 0, "skipped: broker unavailable"));
            return;
        }
        if (exists) {
            delete(started);
        } else {
            create(started);
        }
    }

    private void create(long started) {
        BrokerApi.Reply r;
        try {
            r = broker.createCluster(EXTRA, 4);
        } catch (BrokerApi.Unavailable e) {
            timeline.add(new FaultEvent(started, FaultKind.CLUSTER_CREATE, EXTRA, 0, "skipped: broker unavailable"));
            return;
        }
        if (!r.ok()) {
            timeline.add(new FaultEvent(started, FaultKind.CLUSTER_CREATE, EXTRA, 0, "skipped: " + r));
            return;
        }
        LOG.info("action: created {}", EXTRA);
        String outcome = "ok";
        List<String> pending = convergence.cluster(EXTRA);
        while (!pending.isEmpty() && clock.now() - started < SERVE_TIMEOUT_MILLIS) {
            RunClock.sleep(500);
            pending = convergence.cluster(EXTRA);
        }
        if (!pending.isEmpty()) {
            outcome = "not served after " + SERVE_TIMEOUT_MILLIS / 1000 + " s: " + pending.getFirst();
            timeline.problem(EXTRA + " " + outcome);
        }
        checks.start(EXTRA, 1, 0);
        timeline.add(new FaultEvent(started, FaultKind.CLUSTER_CREATE, EXTRA, clock.now() - started, outcome));
    }

    private void delete(long started) {
        checks.stopAndSweep(EXTRA, SlotProber.End.CLUSTER_DELETED);
        long deadline = clock.now() + 60_000;
        while (clock.now() < deadline) {
            try {
                BrokerApi.Reply r = broker.deleteCluster(EXTRA);
                String outcome = r.ok() ? "ok" : "failed: " + r;
                LOG.info("action: deleted {}: {}", EXTRA, outcome);
                timeline.add(new FaultEvent(started, FaultKind.CLUSTER_DELETE, EXTRA, clock.now() - started, outcome));
                return;
            } catch (BrokerApi.Unavailable e) {
                RunClock.sleep(1000);
            }
        }
        timeline.add(new FaultEvent(started, FaultKind.CLUSTER_DELETE, EXTRA, clock.now() - started, "failed: broker unavailable"));
    }

    /** Waits for the scale and the cluster change in progress, if any, to end. */
    void drain() {
        for (AtomicReference<Future<?>> ref : List.of(scaling, changing)) {
            Future<?> f = ref.get();
            if (f == null) {
                continue;
            }
            try {
                f.get(SCALE_TIMEOUT_MILLIS + 60_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                timeline.problem("a cluster action did not end: " + e);
            }
        }
    }

    @Override
    public void close() {
        scaler.shutdownNow();
        lifecycle.shutdownNow();
    }
}
