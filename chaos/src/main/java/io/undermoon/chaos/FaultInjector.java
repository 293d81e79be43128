// Over 400 lines on purpose: the dealer and every fault kind share the in-flight set, the run clock and the report; one place to read a chaos run.
package io.undermoon.chaos;

import io.undermoon.local.LocalCluster;
import io.undermoon.process.RedisProcess;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault schedule. From one seeded {@link Random} it draws, in order: the pause before the next
 * action (uniform in 0.5..1.5 x the mean), the action (a shuffled deck in which every enabled
 * action appears its weight's number of times), its target and its downtime. The draws do not
 * depend on the state of the system, so the schedule is the same for a seed; which process a
 * target index lands on depends on the cluster layouts at that moment.
 *
 * <p>Process faults run on their own threads (kill, pause, restart); at most
 * {@code maxConcurrentFaults} at once, one machine failure at a time, and never two faults on the
 * same proxy, coordinator or broker at once. A fault that cannot start is recorded as skipped.
 */
final class FaultInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
    private static final String MACHINE = "machine";
    private static final String COORDINATOR = "coordinator";
    private static final String BROKER = "broker";
    /** Etcd mode: one etcd member away at a time, so the other two keep the quorum. */
    private static final String ETCD = "etcd";

    private final ChaosOptions options;
    private final LocalCluster lc;
    private final BrokerApi broker;
    private final ProcessFaults faults;
    private final ClusterOperator operator;
    private final FailoverTimer failoverTimer;
    private final Timeline timeline;
    private final RunClock clock;
    private final Random rnd;
    private final Semaphore permits;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("chaos-fault-", 0).factory());
    private final List<Future<?>> running = Collections.synchronizedList(new ArrayList<>());

    FaultInjector(ChaosOptions options, LocalCluster lc, BrokerApi broker, ProcessFaults faults, ClusterOperator operator,
            FailoverTimer failoverTimer, Timeline timeline, RunClock clock) {
        this.failoverTimer = failoverTimer;
        this.options = options;
        this.lc = lc;
        this.broker = broker;
        this.faults = faults;
        this.operator = operator;
        this.timeline = timeline;
        this.clock = clock;
        this.rnd = new Random(options.seed());
        this.permits = new Semaphore(options.maxConcurrentFaults());
    }

    /** True while a fault is in progress on the proxy (the reviver leaves it alone). */
    boolean isBusy(String proxyAddress) {
        return busy.contains(proxyAddress);
    }

    /** Deals actions until the run clock reaches {@code untilMillis}. */
    void run(long untilMillis) {
        Deque<ChaosAction> deck = new ArrayDeque<>();
        long mean = options.meanFaultInterval().toMillis();
        while (true) {
            long pause = (long) (mean * (0.5 + rnd.nextDouble()));
            RunClock.sleep(Math.min(pause, untilMillis - clock.now()));
            if (clock.now() >= untilMillis) {
                return;
            }
            if (deck.isEmpty()) {
                deck = deal();
                if (deck.isEmpty()) {
                    RunClock.sleep(untilMillis - clock.now());
                    return;
                }
            }
            dispatch(deck.poll(), rnd.nextInt(1 << 30), rnd.nextDouble(), rnd.nextInt(10) < 8);
        }
    }

    private Deque<ChaosAction> deal() {
        List<ChaosAction> cards = new ArrayList<>();
        for (ChaosAction a : ChaosAction.values()) {
            if (options.actions().contains(a)) {
                for (int i = 0; i < a.weight; i++) {
                    cards.add(a);
                }
            }
        }
        Collections.shuffle(cards, rnd);
        return new ArrayDeque<>(cards);
    }

    private void dispatch(ChaosAction action, int pick, double length, boolean preferClusters) {
        switch (action) {
            case PROXY_RESTART -> proxyFault(FaultKind.PROXY_RESTART, pick, 500 + (long) (2500 * length), preferClusters);
            case MACHINE_FAILURE -> {
                if (options.etcd()) {
                    hostFault(pick, 3000 + (long) (7000 * length), preferClusters);
                } else {
                    proxyFault(FaultKind.MACHINE_FAILURE, pick, 3000 + (long) (7000 * length), preferClusters);
                }
            }
            case REDIS_RESTART -> redisFault(pick, 200 + (long) (1800 * length));
            case COORDINATOR_RESTART -> singleton(FaultKind.COORDINATOR_RESTART, COORDINATOR, 500 + (long) (3500 * length),
                    faults::killCoordinator, faults::restartCoordinator);
            case BROKER_RESTART -> {
                if (options.etcd()) {
                    int b = brokerIndex(pick, lc.brokers().size());
                    singleton(FaultKind.BROKER_KILL, brokerToken(b), lc.brokerAddresses().get(b), 500 + (long) (3500 * length),
                            () -> faults.killBroker(b), () -> faults.restartBroker(b));
                } else {
                    singleton(FaultKind.BROKER_RESTART, BROKER, 500 + (long) (3500 * length), faults::killBroker, faults::restartBroker);
                }
            }
            case SCALE -> operator.scaleAsync();
            case CLUSTER_LIFECYCLE -> operator.lifecycleAsync();
            case BROKER_FREEZE -> {
                int b = brokerIndex(pick, lc.brokers().size());
                singleton(FaultKind.BROKER_FREEZE, brokerToken(b), lc.brokerAddresses().get(b), 1000 + (long) (9000 * length),
                        () -> faults.freezeBroker(b), () -> faults.thawBroker(b));
            }
            case ETCD_MEMBER_RESTART -> {
                int m = pick % lc.etcd().members().size();
                singleton(FaultKind.ETCD_MEMBER_RESTART, ETCD, lc.etcd().member(m).name(), 500 + (long) (4500 * length),
                        () -> faults.killEtcdMember(m), () -> faults.restartEtcdMember(m));
            }
            case BROKER_LOSS_FAILOVER -> brokerLossFailover(pick, 500 + (long) (2500 * length));
        }
    }

    /** Half of the broker faults hit the first broker, the one the coordinator tries first; the rest any broker. */
    static int brokerIndex(int pick, int brokers) {
        return (pick & 1) == 0 ? 0 : (pick >>> 1) % brokers;
    }

    private static String brokerToken(int i) {
        return "broker-" + (i + 1);
    }

    /** The index of the simulated host {@code localhost<k>}: broker and etcd member {@code k-1} live there (etcd mode). */
    private static int hostIndex(LocalCluster.ProxyNode p) {
        return Integer.parseInt(p.host().substring("localhost".length())) - 1;
    }

    /**
     * Etcd mode: a whole simulated host dies, the broker and the etcd member on it with a proxy and
     * its two Redis. When the proxy mastered slots of the main cluster its failover is timed (a
     * broker loss) before the host comes back (etcd member, broker, Redis, proxy).
     */
    private void hostFault(int pick, long downtime, boolean preferClusters) {
        FaultKind kind = FaultKind.HOST_FAILURE;
        if (!busy.add(MACHINE)) {
            skipped(kind, "another machine is down");
            return;
        }
        if (!busy.add(ETCD)) {
            busy.remove(MACHINE);
            skipped(kind, "an etcd member is down");
            return;
        }
        List<LocalCluster.ProxyNode> candidates = proxyCandidates(preferClusters).stream()
                .filter(p -> hostIndex(p) < lc.brokers().size() && !busy.contains(brokerToken(hostIndex(p)))).toList();
        if (candidates.isEmpty() || !permits.tryAcquire()) {
            skipped(kind, candidates.isEmpty() ? "no host with a proxy and a broker to kill" : "too many faults in progress");
            busy.remove(MACHINE);
            busy.remove(ETCD);
            return;
        }
        LocalCluster.ProxyNode p = candidates.get(pick % candidates.size());
        int h = hostIndex(p);
        busy.add(p.address());
        busy.add(brokerToken(h));
        Optional<ClusterLayout> main = mainLayout();
        submit(kind, p.host() + ": " + lc.brokerAddresses().get(h) + ", " + lc.etcd().member(h).name() + ", " + p.address(), () -> {
            faults.killBroker(h);
            faults.killEtcdMember(h);
            long t = faults.killMachine(p, kind);
            main.ifPresent(l -> timeFailover(kind, h, p, l, t));
            RunClock.sleep(downtime - (clock.now() - t));
            faults.restartEtcdMember(h);
            faults.restartBroker(h);
            faults.restartMachine(p);
            return t;
        }, () -> {
            busy.remove(p.address());
            busy.remove(brokerToken(h));
            busy.remove(ETCD);
            busy.remove(MACHINE);
        });
    }

    /**
     * Etcd mode: kill -9 a broker (half of the time the coordinator's first), then at once a proxy
     * that masters slots of the main cluster; time the failover; restart the proxy, then the broker.
     */
    private void brokerLossFailover(int pick, long downtime) {
        FaultKind kind = FaultKind.BROKER_LOSS_FAILOVER;
        int b = brokerIndex(pick, lc.brokers().size());
        if (!busy.add(brokerToken(b))) {
            skipped(kind, "broker " + lc.brokerAddresses().get(b) + " is already down");
            return;
        }
        Optional<ClusterLayout> main = mainLayout();
        List<LocalCluster.ProxyNode> candidates = main.isEmpty() ? List.of() : lc.proxies().stream()
                .filter(p -> p.process().isAlive() && !busy.contains(p.address())
                        && !FailoverTimer.mastersOf(main.get(), p.address()).isEmpty()).toList();
        if (candidates.isEmpty() || !permits.tryAcquire()) {
            busy.remove(brokerToken(b));
            skipped(kind, candidates.isEmpty() ? "no master proxy of " + ClusterOperator.MAIN + " to kill" : "too many faults in progress");
            return;
        }
        LocalCluster.ProxyNode p = candidates.get((pick >>> 3) % candidates.size());
        busy.add(p.address());
        submit(kind, lc.brokerAddresses().get(b) + " then " + p.address(), () -> {
            faults.killBroker(b);
            long t = faults.killProxy(p, kind);
            timeFailover(kind, b, p, main.get(), t);
            RunClock.sleep(downtime - (clock.now() - t));
            faults.restartProxy(p);
            faults.restartBroker(b);
            return t;
        }, () -> {
            busy.remove(p.address());
            busy.remove(brokerToken(b));
        });
    }

    private void timeFailover(FaultKind kind, int broker, LocalCluster.ProxyNode p, ClusterLayout before, long killedAt) {
        List<String> masters = FailoverTimer.mastersOf(before, p.address());
        if (masters.isEmpty()) {
            return;
        }
        FailoverTimer.Result r = failoverTimer.await(before.name(), p.address(), before.slotsOf(masters), killedAt);
        LOG.info("failover of {} after the loss of broker {}: committed after {} ms, writable after {} ms ({})", p.address(),
                lc.brokerAddresses().get(broker), r.committedMillis(), r.writableMillis(), r.outcome());
        timeline.addBrokerLoss(new ChaosReport.BrokerLoss(killedAt, kind, lc.brokerAddresses().get(broker), p.address(),
                r.committedMillis(), r.writableMillis(), r.outcome()));
    }

    private Optional<ClusterLayout> mainLayout() {
        try {
            return broker.cluster(ClusterOperator.MAIN).map(ClusterLayout::of);
        } catch (BrokerApi.Unavailable e) {
            return Optional.empty();
        }
    }

    private void proxyFault(FaultKind kind, int pick, long downtime, boolean preferClusters) {
        boolean machine = kind == FaultKind.MACHINE_FAILURE;
        if (machine && !busy.add(MACHINE)) {
            skipped(kind, "another machine is down");
            return;
        }
        List<LocalCluster.ProxyNode> candidates = proxyCandidates(preferClusters);
        if (candidates.isEmpty() || !permits.tryAcquire()) {
            skipped(kind, candidates.isEmpty() ? "no proxy to kill" : "too many faults in progress");
            if (machine) {
                busy.remove(MACHINE);
            }
            return;
        }
        LocalCluster.ProxyNode p = candidates.get(pick % candidates.size());
        busy.add(p.address());
        submit(kind, p.address(), () -> {
            long t = machine ? faults.killMachine(p) : faults.killProxy(p);
            RunClock.sleep(downtime);
            if (machine) {
                faults.restartMachine(p);
            } else {
                faults.restartProxy(p);
            }
            return t;
        }, () -> {
            busy.remove(p.address());
            if (machine) {
                busy.remove(MACHINE);
            }
        });
    }

    private void redisFault(int pick, long downtime) {
        List<ClusterLayout> layouts = currentLayouts();
        List<RedisProcess> candidates = new ArrayList<>();
        List<RedisProcess> any = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        List<String> anyOwners = new ArrayList<>();
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            if (!p.process().isAlive() || busy.contains(p.address())) {
                continue;
            }
            for (RedisProcess r : List.of(p.redis1(), p.redis2())) {
                any.add(r);
                anyOwners.add(p.address());
                if (layouts.stream().anyMatch(l -> l.proxyOfNode().containsKey(r.address()))) {
                    candidates.add(r);
                    owners.add(p.address());
                }
            }
        }
        if (candidates.isEmpty()) {
            candidates = any;
            owners = anyOwners;
        }
        if (candidates.isEmpty() || !permits.tryAcquire()) {
            skipped(FaultKind.REDIS_MASTER_RESTART, candidates.isEmpty() ? "no Redis to kill" : "too many faults in progress");
            return;
        }
        int i = pick % candidates.size();
        RedisProcess r = candidates.get(i);
        String owner = owners.get(i);
        boolean master = layouts.stream().anyMatch(l -> l.masters().contains(r.address()));
        busy.add(owner);
        submit(master ? FaultKind.REDIS_MASTER_RESTART : FaultKind.REDIS_REPLICA_RESTART, r.address() + " of " + owner, () -> {
            long t = faults.killRedis(r);
            RunClock.sleep(downtime);
            faults.restartRedis(r);
            return t;
        }, () -> busy.remove(owner));
    }

    private void singleton(FaultKind kind, String token, long downtime, Kill kill, Runnable restart) {
        singleton(kind, token, token, downtime, kill, restart);
    }

    private void singleton(FaultKind kind, String token, String target, long downtime, Kill kill, Runnable restart) {
        if (!busy.add(token)) {
            skipped(kind, "already down");
            return;
        }
        if (!permits.tryAcquire()) {
            busy.remove(token);
            skipped(kind, "too many faults in progress");
            return;
        }
        submit(kind, target, () -> {
            long t = kill.kill();
            RunClock.sleep(downtime);
            restart.run();
            return t;
        }, () -> busy.remove(token));
    }

    private interface Kill {
        long kill();
    }

    private void submit(FaultKind kind, String target, Kill fault, Runnable release) {
        long started = clock.now();
        LOG.info("fault: {} on {}", kind.description, target);
        running.add(executor.submit(() -> {
            long t = started;
            try {
                t = fault.kill();
                timeline.add(new FaultEvent(t, kind, target, clock.now() - t, "ok"));
            } catch (RuntimeException e) {
                LOG.error("fault {} on {} failed", kind, target, e);
                timeline.add(new FaultEvent(t, kind, target, clock.now() - t, "failed: " + e.getMessage()));
                timeline.problem(kind.description + " on " + target + " failed: " + e.getMessage());
            } finally {
                release.run();
                permits.release();
            }
        }));
    }

    private void skipped(FaultKind kind, String why) {
        LOG.info("fault: {} skipped ({})", kind.description, why);
        timeline.add(new FaultEvent(clock.now(), kind, "-", 0, "skipped: " + why));
    }

    private List<LocalCluster.ProxyNode> proxyCandidates(boolean preferClusters) {
        List<LocalCluster.ProxyNode> alive = new ArrayList<>();
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            if (p.process().isAlive() && !busy.contains(p.address())) {
                alive.add(p);
            }
        }
        if (!preferClusters) {
            return alive;
        }
        List<ClusterLayout> layouts = currentLayouts();
        List<LocalCluster.ProxyNode> inClusters = alive.stream()
                .filter(p -> layouts.stream().anyMatch(l -> l.proxies().contains(p.address()))).toList();
        return inClusters.isEmpty() ? alive : inClusters;
    }

    private List<ClusterLayout> currentLayouts() {
        List<ClusterLayout> out = new ArrayList<>();
        try {
            for (String name : broker.clusterNames()) {
                broker.cluster(name).ifPresent(v -> out.add(ClusterLayout.of(v)));
            }
        } catch (BrokerApi.Unavailable e) {
            // the broker is down: targets are drawn from every live process
        }
        return out;
    }

    /** Waits for every fault in progress to end (its process restarted). */
    void drain() {
        List<Future<?>> snapshot;
        synchronized (running) {
            snapshot = new ArrayList<>(running);
        }
        for (Future<?> f : snapshot) {
            try {
                f.get(180, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                timeline.problem("a fault did not end in 180 s: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
