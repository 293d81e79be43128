package io.undermoon.coordinator;

import io.undermoon.coordinator.admin.AdminCommands;
import io.undermoon.coordinator.admin.AdminServer;
import io.undermoon.coordinator.admin.AdminSessions;
import io.undermoon.coordinator.broker.BrokerAddresses;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.broker.HttpBrokerClient;
import io.undermoon.coordinator.loop.ErrorLog;
import io.undermoon.coordinator.loop.Pacer;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundLoop;
import io.undermoon.coordinator.metrics.CoordinatorMetrics;
import io.undermoon.coordinator.proxy.ProxyClientPool;
import io.undermoon.coordinator.proxy.ProxyConnection;
import io.undermoon.coordinator.round.DetectionRound;
import io.undermoon.coordinator.round.EpochWatchRound;
import io.undermoon.coordinator.round.FailoverRound;
import io.undermoon.coordinator.round.MetaSyncRound;
import io.undermoon.coordinator.round.MigrationSyncRound;
import io.undermoon.coordinator.round.ReplicaStatusRound;
import io.undermoon.model.Addresses;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator (spec §6): the failure detection, metadata sync, migration sync, failover
 * and (ours) replica state loops, each on its own virtual thread, and the RESP admin API. Start
 * one in-process with {@link #start(CoordinatorConfig)} (an {@code address} with port 0 picks a
 * free admin port, see
 * {@link #adminPort()}), or as a program with {@code ./undermoon coordinator}. {@link #close()}
 * stops everything and waits for it.
 *
 * <p>Beyond the reference's fixed 1-second pause, the loops pause for their configured intervals,
 * and a reported failure wakes the failover loop and a failover wakes the metadata sync loop, so a
 * dead proxy is replaced about one detection interval after it stops answering; a change of the
 * broker's global epoch (read every {@code epoch_watch_interval_ms}) wakes the metadata sync and
 * migration loops, so a scale-out or a committed migration reaches the proxies at once.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    /** Idle connections kept per proxy address (the reference's pool capacity). */
    static final int POOL_CAPACITY = 2;
    private static final Duration REPEAT_ERRORS_AFTER = Duration.ofSeconds(60);
    /** The replica state loop reports every replica again this often, changed or not. */
    static final Duration FULL_REPLICA_REPORT_EVERY = Duration.ofSeconds(60);

    private final CoordinatorConfig config;
    private final BrokerAddresses brokers;
    private final BrokerClient broker;
    private final ExecutorService executor;
    private final List<AutoCloseable> pools;
    private final List<RoundLoop> loops;
    private final AdminSessions sessions;
    private AdminServer admin;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CoordinatorMetrics metrics = new CoordinatorMetrics();
    private volatile boolean failed;

    private Coordinator(CoordinatorConfig config, Pacer pacer) {
        this.config = config;
        this.brokers = new BrokerAddresses(config.brokerAddresses());
        this.broker = new HttpBrokerClient(brokers, config.brokerTimeout(), config.enableCompression(), metrics);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("coordinator-task-", 0).factory());
        ProxyClientPool pingPool = new ProxyClientPool(ProxyConnection.resp(config.pingTimeout()), POOL_CAPACITY, false);
        ProxyClientPool syncPool = new ProxyClientPool(ProxyConnection.resp(config.proxyTimeout()), POOL_CAPACITY, true);
        ProxyClientPool migrationPool = new ProxyClientPool(ProxyConnection.resp(config.proxyTimeout()), POOL_CAPACITY, true);
        ProxyClientPool replicaPool = new ProxyClientPool(ProxyConnection.resp(config.proxyTimeout()), POOL_CAPACITY, true);
        this.pools = List.of(pingPool, syncPool, migrationPool, replicaPool);
        this.sessions = new AdminSessions();

        MetaSyncRound syncRound = new MetaSyncRound(broker, syncPool, config.enableCompression(), executor);
        RoundLoop sync = loop("sync", syncRound, config.syncInterval(), pacer);
        ReplicaStatusRound replicaRound = new ReplicaStatusRound(broker, replicaPool, executor, System::nanoTime,
                FULL_REPLICA_REPORT_EVERY);
        RoundLoop replica = loop("replica", replicaRound, config.replicaStatusInterval(), pacer);
        RoundLoop migration = loop("migration", new MigrationSyncRound(broker, migrationPool, config.enableCompression(),
                executor), config.migrationInterval(), pacer);
        List<RoundLoop> all = new ArrayList<>();
        RoundLoop failover = null;
        if (!config.disableFailover()) {
            failover = loop("failover", new FailoverRound(broker, executor, sync::wake, syncRound::syncCluster, () -> {
                replicaRound.requestFullReport();
                replica.wake();
            }), config.failoverInterval(), pacer);
        }
        Runnable onReport = failover == null ? () -> { } : failover::wake;
        RoundLoop detection = loop("detection", new DetectionRound(broker, pingPool, config.pingAttempts(),
                config.reporterId(), executor, onReport), config.detectionInterval(), pacer);
        all.add(detection);
        all.add(sync);
        all.add(migration);
        if (!config.epochWatchInterval().isZero()) {
            all.add(loop("epoch", new EpochWatchRound(broker, () -> {
                sync.wake();
                migration.wake();
            }), config.epochWatchInterval(), pacer));
        }
        all.add(replica);
        if (failover != null) {
            all.add(failover);
        }
        this.loops = List.copyOf(all);
    }

    private RoundLoop loop(String name, Round round, Duration interval, Pacer pacer) {
        ErrorLog errors = new ErrorLog(name, ErrorLog.Sink.of(LoggerFactory.getLogger("io.undermoon.coordinator." + name)),
                System::nanoTime, REPEAT_ERRORS_AFTER);
        return new RoundLoop(name, round, interval, pacer, errors, System::nanoTime, this::loopDied, metrics);
    }

    /** A loop can only die of an Error; as in the reference, the coordinator then stops. */
    private void loopDied(String loop, Throwable error) {
        failed = true;
        LOG.error("the {} loop died ({}); stopping the coordinator", loop, error.toString());
        Thread.ofPlatform().name("coordinator-stop").start(this::close);
    }

    /** True when the coordinator stopped because a loop died, not because it was closed. */
    public boolean failed() {
        return failed;
    }

    /** Binds the admin API, then starts the loops. */
    public static Coordinator start(CoordinatorConfig config) throws CoordinatorStartException {
        return start(config, Pacer.REAL);
    }

    /** With an explicit pacer between rounds (tests). */
    public static Coordinator start(CoordinatorConfig config, Pacer pacer) throws CoordinatorStartException {
        Coordinator c = new Coordinator(config, pacer);
        Addresses.HostPort listen = Addresses.parse(config.address()).orElseThrow(
                () -> new IllegalArgumentException("invalid address " + config.address()));
        AdminCommands commands = new AdminCommands(c.brokers, config.reporterId(), c::debugLines);
        try {
            c.admin = AdminServer.start(listen.host(), listen.port(), config.threadNumber(), config.adminSessionTimeout(),
                    commands, c.sessions);
            if (!config.metricsAddress().isEmpty()) {
                c.metrics.serve(config.metricsAddress());
            }
        } catch (IOException e) {
            c.close();
            throw new CoordinatorStartException(e.getMessage(), e);
        }
        if (config.brokerAddresses().isEmpty()) {
            LOG.warn("no broker address configured; the loops idle until CONFIG SET brokers");
        }
        c.loops.forEach(RoundLoop::start);
        LOG.info("coordinator started: admin API on {}, {}{}", c.admin.localAddress(), config,
                config.disableFailover() ? " (failover disabled)" : "");
        return c;
    }

    private List<String> debugLines() {
        List<String> lines = new ArrayList<>();
        lines.add("brokers " + String.join(",", brokers.get()));
        for (RoundLoop l : loops) {
            lines.add(l.describe());
        }
        lines.addAll(sessions.describe());
        return lines;
    }

    public CoordinatorConfig config() {
        return config;
    }

    /** The port of {@code /metrics}, or -1 without {@code metrics_address}. */
    public int metricsPort() {
        return metrics.port();
    }

    /** The admin API's port (the actual one when the config said 0). */
    public int adminPort() {
        return admin.port();
    }

    /** {@code host:port} of the admin API. */
    public String adminAddress() {
        String host = admin.localAddress().getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + adminPort();
    }

    /** The broker addresses in use (also changed by {@code CONFIG SET brokers}). */
    public BrokerAddresses brokers() {
        return brokers;
    }

    /** The loops, for tests and diagnostics. */
    public List<RoundLoop> loops() {
        return loops;
    }

    /** Blocks until {@link #close()} has finished (also after a loop died, see {@link #failed()}). */
    public void awaitTermination() throws InterruptedException {
        closed.await();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        if (admin != null) {
            admin.close();
        }
        loops.forEach(RoundLoop::close);
        executor.shutdownNow();
        for (AutoCloseable pool : pools) {
            try {
                pool.close();
            } catch (Exception e) {
                LOG.warn("closing a proxy connection pool: {}", e.toString());
            }
        }
        broker.close();
        metrics.close();
        closed.countDown();
        LOG.info("coordinator {} stopped", config.reporterId());
    }
}
