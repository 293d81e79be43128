package io.undermoon.chaos;

import io.undermoon.local.LocalCluster;
import io.undermoon.local.LocalClusterBuilder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chaos run on a {@link LocalCluster} (Redis with append-only files): create the main cluster and
 * start its checker clients; inject faults and cluster actions for the configured time; wait for
 * the faults in progress to end and restart anything still down; measure how long the system takes
 * to converge; stop the clients, read every key once more, and report.
 */
public final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

    private final ChaosOptions options;
    private final LocalCluster lc;
    private final RunClock clock;
    private final BrokerApi broker;
    private final ClusterHistory history = new ClusterHistory();
    private final Timeline timeline = new Timeline();
    private final Findings findings = new Findings();
    private final ClusterClients clients;
    private final ConvergenceCheck convergence;
    private final CheckRegistry checks;
    private final ProcessFaults faults;
    private final MetadataLedger ledger = new MetadataLedger();
    private final EpochTracker epochs = new EpochTracker();
    private final SingleCopyWindows singleCopy = new SingleCopyWindows();

    private ChaosRun(ChaosOptions options, LocalCluster lc, RunClock clock) {
        this.options = options;
        this.lc = lc;
        this.clock = clock;
        this.broker = new BrokerApi(lc, ledger, clock);
        this.clients = new ClusterClients(broker, history);
        this.convergence = new ConvergenceCheck(broker, lc, clients);
        this.checks = new CheckRegistry(options, clients, clock, findings);
        this.faults = new ProcessFaults(lc, broker, clock, timeline);
    }

    /** Starts the system, runs the chaos, stops everything and returns the report. */
    public static ChaosReport run(ChaosOptions options) {
        RunClock clock = new RunClock();
        LOG.info("chaos: starting {} proxies on {} hosts{} (seed {})", options.proxies(), options.hosts(),
                options.etcd() ? ", " + ChaosOptions.ETCD_MEMBERS + " brokers on " + ChaosOptions.ETCD_MEMBERS + " etcd members" : "",
                options.seed());
        LocalClusterBuilder b = LocalCluster.builder().proxies(options.proxies()).hosts(options.hosts())
                .redisAppendOnly(true).redisDisklessSyncDelay(options.redisDisklessSyncDelay()).runtime(options.runtime());
        if (options.etcd()) {
            // the brokers' etcd requests and start-up load get 30 s instead of 3: the whole system shares a
            // 2-core machine with the harness, and a broker that cannot load the store in time exits
            b.etcd(ChaosOptions.ETCD_MEMBERS).brokers(ChaosOptions.ETCD_MEMBERS).brokerEnv("UNDERMOON_ETCD_TIMEOUT_MS", "30000");
        }
        if (options.dataDir() != null) {
            b.dataDir(options.dataDir());
        }
        try (LocalCluster lc = b.start()) {
            return new ChaosRun(options, lc, clock).execute();
        }
    }

    private ChaosReport execute() {
        try (ReplicationMonitor monitor = new ReplicationMonitor(broker, history, singleCopy, clock);
                EpochMonitor epochMonitor = new EpochMonitor(broker, epochs,
                        i -> lc.brokers().get(i).isAlive() && !faults.frozenBrokers().contains(i), clock)) {
            monitor.start();
            epochMonitor.start();
            BrokerApi.Reply created = broker.createCluster(ClusterOperator.MAIN, 4);
            if (!created.ok()) {
                throw new IllegalStateException("cannot create " + ClusterOperator.MAIN + ": " + created);
            }
            awaitServed(ClusterOperator.MAIN);
            checks.start(ClusterOperator.MAIN, options.clientsPerCluster(), options.ballastKeys());
            RunClock.sleep(3000); // the clients write for a while before the first fault

            try (ClusterOperator operator = new ClusterOperator(broker, checks, convergence, timeline, clock);
                    FaultInjector injector = new FaultInjector(options, lc, broker, faults, operator,
                            new FailoverTimer(broker, clients, clock), timeline, clock);
                    ProxyReviver reviver = new ProxyReviver(lc, broker, faults, injector::isBusy)) {
                reviver.start();
                long faultStart = clock.now();
                LOG.info("chaos: injecting faults for {} s", options.duration().toSeconds());
                injector.run(faultStart + options.duration().toMillis());
                long faultEnd = clock.now();
                LOG.info("chaos: faults stopped; waiting for the faults and actions in progress");
                injector.drain();
                operator.drain();
                heal();
                long healed = clock.now();
                LOG.info("chaos: everything is running again; waiting for convergence");
                ReportBuilder.ConvergenceResult conv = awaitConvergence(healed);
                long replicasMillis = awaitReplicas(monitor, healed);
                LOG.info("chaos: stopping the clients and reading every key once more");
                for (CheckedCluster c : checks.live()) {
                    checks.stopAndSweep(c.name(), SlotProber.End.RUN_ENDED);
                }
                int failedLeft = failedProxies();
                ChaosReport.Metadata metadata = checkMetadata();
                singleCopy.closeAll(clock.now());
                return new ReportBuilder(options, timeline, findings, history, checks).build(faultEnd - faultStart,
                        clock.now(), conv, monitor.allReplicated(), replicasMillis, failedLeft, reviver.revived(), metadata,
                        singleCopy);
            }
        } finally {
            for (CheckedCluster c : checks.live()) {
                c.stop(SlotProber.End.RUN_ENDED);
            }
        }
    }

    /** Every acknowledged metadata change, checked against the final store of every broker that gives it. */
    private ChaosReport.Metadata checkMetadata() {
        List<String> read = new ArrayList<>();
        List<MetadataLedger.Verdict> verdicts = new ArrayList<>();
        for (String address : broker.addresses()) {
            try {
                verdicts.add(ledger.check(MetadataLedger.FinalStore.of(broker.metadataOf(address))));
                read.add(address);
            } catch (BrokerApi.Unavailable e) {
                timeline.problem("the final store could not be read from " + address + ": " + e.getMessage());
            }
        }
        ChaosReport.Metadata m = ReportBuilder.metadata(ledger, read, verdicts, epochs);
        LOG.info("chaos: {} acknowledged metadata changes, {} lost; {} epoch answers, {} regressions", m.changesAcknowledged(),
                m.changesLost(), m.epochAnswers(), m.epochRegressions());
        return m;
    }

    private void awaitServed(String name) {
        long deadline = clock.now() + 120_000;
        List<String> pending = convergence.cluster(name);
        while (!pending.isEmpty()) {
            if (clock.now() > deadline) {
                throw new IllegalStateException(name + " is not served after 120 s: " + pending + " (logs in " + lc.logDir() + ")");
            }
            RunClock.sleep(500);
            pending = convergence.cluster(name);
        }
    }

    /** Restarts whatever is still down (a restart that failed during the run). */
    private void heal() {
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            try {
                if (!p.redis1().isAlive()) {
                    p.redis1().restart();
                }
                if (!p.redis2().isAlive()) {
                    p.redis2().restart();
                }
                if (!p.process().isAlive()) {
                    faults.restartProxy(p);
                }
            } catch (RuntimeException e) {
                timeline.problem("could not restart " + p.address() + " after the faults: " + e.getMessage());
            }
        }
        if (options.etcd()) {
            healEtcd();
        }
        try {
            if (!options.etcd() && !lc.broker().isAlive()) {
                faults.restartBroker();
            }
            if (!lc.coordinators().getFirst().isAlive()) {
                faults.restartCoordinator();
            }
        } catch (RuntimeException e) {
            timeline.problem("could not restart the broker or the coordinator: " + e.getMessage());
        }
    }

    /** Etcd mode: every etcd member running, every broker continued (SIGCONT) and running. */
    private void healEtcd() {
        for (int i = 0; i < lc.etcd().members().size(); i++) {
            try {
                if (!lc.etcd().member(i).isAlive()) {
                    faults.restartEtcdMember(i);
                }
            } catch (RuntimeException e) {
                timeline.problem("could not restart etcd member " + i + " after the faults: " + e.getMessage());
            }
        }
        for (int i = 0; i < lc.brokers().size(); i++) {
            try {
                if (faults.frozenBrokers().contains(i)) {
                    faults.thawBroker(i);
                }
                if (!lc.brokers().get(i).isAlive()) {
                    faults.restartBroker(i);
                }
            } catch (RuntimeException e) {
                timeline.problem("could not restart broker " + lc.brokerAddresses().get(i) + " after the faults: " + e.getMessage());
            }
        }
    }

    private ReportBuilder.ConvergenceResult awaitConvergence(long from) {
        long deadline = from + options.convergenceTimeout().toMillis();
        List<String> pending = convergence.disagreements();
        while (!pending.isEmpty() && clock.now() < deadline) {
            RunClock.sleep(500);
            pending = convergence.disagreements();
        }
        long millis = clock.now() - from;
        if (pending.isEmpty()) {
            LOG.info("chaos: converged {} ms after the last fault ended", millis);
        } else {
            LOG.error("chaos: not converged after {} ms: {}", millis, pending);
        }
        return new ReportBuilder.ConvergenceResult(pending.isEmpty(), millis, pending);
    }

    private long awaitReplicas(ReplicationMonitor monitor, long from) {
        long deadline = from + options.convergenceTimeout().toMillis();
        long polls = monitor.polls();
        while (clock.now() < deadline && !(monitor.allReplicated() && monitor.polls() > polls + 1)) {
            RunClock.sleep(250);
        }
        return clock.now() - from;
    }

    private int failedProxies() {
        try {
            return broker.failedProxies().size();
        } catch (BrokerApi.Unavailable e) {
            return -1;
        }
    }
}
