package io.undermoon.proxy.migration;

import io.undermoon.model.MigrationConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.RangeList;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.SwitchCommand;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of a migration (Ps): the state machine that switches the range over to the
 * importing proxy and then has its keys copied there (docs/migration.md). It runs on one virtual
 * thread and puts together the parts that do the work: the {@link RangeGate} the event loops pass
 * (serve, hold, or send away), the {@link SwitchClient} to the importing proxy, the {@link KeyScan}
 * and the {@link SyncWorker} for UMSYNC. Time comes from a {@link MigrationClock}.
 */
public final class MigratingTask implements MigrationTaskHandle {
    private static final Logger LOG = LoggerFactory.getLogger(MigratingTask.class);
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(10);
    static final long PRECHECK_EVERY_MILLIS = 10;
    static final long SWITCH_EVERY_MILLIS = 1;
    static final long RETRY_SWITCH_AFTER_MILLIS = 100;

    private final MigrationTask identity;
    private final MigrationConfig config;
    private final MigrationStats stats;
    private final Runnable onChange;
    private final boolean resume;
    private final MigrationClock clock;
    private final RangeGate<Runnable> gate;
    private final SwitchClient destination;
    private final KeyMover mover;
    private final KeyScan scan;
    private final LatencyProbe probe;
    private final SyncWorker syncWorker;
    private volatile MigrationState state = MigrationState.PRE_CHECK;
    private volatile boolean stopped;
    private Thread thread;

    /**
     * @param onChange called after every state change (what clients are shown depends on it)
     * @param resume   the range was already switched to the destination by the task this one
     *     replaces: hold its commands from the start and switch again (PRESWITCH) without ever
     *     serving it locally, see {@link MigrationManager}
     * @param load     the number of commands this proxy has received so far, for the scan's pacing
     * @param latencyTargetMicros migration_latency_target: the scan slows down when it adds more
     *     than this to the clients' latency on the source or destination Redis (0: no pacing), see
     *     {@link ScanPacer}
     */
    MigratingTask(MigrationTask identity, MigrationConfig config, Optional<String> password, MigrationStats stats,
            Runnable onChange, boolean resume, LongSupplier load, long latencyTargetMicros, MigrationClock clock) {
        this.identity = identity;
        this.config = config;
        this.stats = stats;
        this.onChange = onChange;
        this.resume = resume;
        this.clock = clock;
        this.gate = new RangeGate<>(resume ? RangeGate.Mode.HOLD : RangeGate.Mode.LOCAL, Runnable::run,
                stats.heldCommands::increment);
        if (resume) {
            this.state = MigrationState.PRE_SWITCH;
        }
        MigrationMeta meta = identity.meta();
        RangeList ranges = identity.slotRange().rangeList();
        this.destination = new SwitchClient(identity, password);
        this.mover = new KeyMover(meta.srcNodeAddress(), meta.dstNodeAddress(), ranges, DATA_TIMEOUT,
                MigrateHead.TIMEOUT_MILLIS, stats);
        this.probe = new LatencyProbe(meta.srcNodeAddress(), meta.dstNodeAddress());
        this.scan = new KeyScan(identity, config, mover, stats, clock, () -> destination.send(SwitchCommand.PRESWITCH),
                load, probe, TimeUnit.MICROSECONDS.toNanos(latencyTargetMicros));
        this.syncWorker = new SyncWorker(identity, new KeyMover(meta.srcNodeAddress(), meta.dstNodeAddress(), ranges,
                DATA_TIMEOUT, MigrateHead.TIMEOUT_MILLIS, stats), stats, clock);
    }

    @Override
    public MigrationTask identity() {
        return identity;
    }

    @Override
    public MigrationState state() {
        return state;
    }

    public MigrationMeta meta() {
        return identity.meta();
    }

    public RangeList ranges() {
        return identity.slotRange().rangeList();
    }

    // ---- called on event loops ---------------------------------------------------------------

    /** True when a command for the range may run on the source Redis now; then {@link #done()} follows its reply. */
    public boolean serveLocally() {
        return gate.enter();
    }

    /** A command that {@link #serveLocally()} let through got its reply. */
    public void done() {
        gate.exit();
    }

    /** True while the switch holds the range's new commands (an event loop then calls {@link #hold}). */
    public boolean isHolding() {
        return gate.mode() == RangeGate.Mode.HOLD;
    }

    /**
     * Keeps a held command until the switch is decided, as the action that routes it again (on its
     * own event loop); false when the range is no longer held (the caller routes it now).
     */
    public boolean hold(Runnable reroute) {
        return gate.hold(reroute);
    }

    /** UMSYNC from the importing proxy: the sync worker moves the key and {@code reply} gets the answer. */
    public void umsync(byte[] key, Consumer<String> reply) {
        stats.umsyncReceived.increment();
        if (finished() || stopped) {
            reply.accept(finished() ? "+MIGRATING_FINISHED" : "-MIGRATION_TASK_NOT_FOUND");
            return;
        }
        syncWorker.submit(key, reply);
        if (stopped) {
            syncWorker.failQueued("-MIGRATION_TASK_NOT_FOUND");
        } else if (finished()) {
            syncWorker.failQueued("+MIGRATING_FINISHED"); // the worker has finished: every key is moved
        }
    }

    private boolean finished() {
        return state.ordinal() >= MigrationState.FINAL_SWITCH.ordinal();
    }

    // ---- the task thread -----------------------------------------------------------------------

    void start() {
        thread = Thread.ofVirtual().name("migrate-" + identity.slotRange().rangeList()).start(this::run);
    }

    @Override
    public void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
        syncWorker.stop();
        if (gate.mode() == RangeGate.Mode.HOLD) {
            // the new metadata decides where the held commands go
            gate.setMode(RangeGate.Mode.REMOTE);
            gate.releaseHeld();
        }
        syncWorker.failQueued("-MIGRATION_TASK_NOT_FOUND");
    }

    /** Waits for the task's thread to end (tests). */
    void join(Duration timeout) throws InterruptedException {
        if (thread != null) {
            thread.join(timeout);
        }
    }

    private void setState(MigrationState s) {
        state = s;
        onChange.run();
    }

    private void run() {
        long deadline = clock.nanoTime() + TimeUnit.SECONDS.toNanos(config.maxMigrationTime());
        try {
            LOG.info("migration {}: starting{}", identity, resume ? " (the range is switched already: resuming)" : "");
            boolean switched = resume && switchAgain();
            while (!switched && !stopped) {
                sendUntilOk(SwitchCommand.PRECHECK, PRECHECK_EVERY_MILLIS, deadline);
                switched = blockAndSwitch();
                if (!switched && !stopped) {
                    if (clock.nanoTime() - deadline > 0) {
                        break;
                    }
                    clock.sleepMillis(RETRY_SWITCH_AFTER_MILLIS);
                }
            }
            if (switched) {
                syncWorker.start();
                probe.start();
                try {
                    scan.run(deadline, () -> stopped);
                } finally {
                    probe.close();
                }
                syncWorker.finish();
            }
            if (stopped) {
                return;
            }
            if (clock.nanoTime() - deadline > 0) {
                LOG.error("migration {}: exceeded max_migration_time ({} s); finishing the switch anyway",
                        identity, config.maxMigrationTime());
                if (gate.mode() != RangeGate.Mode.REMOTE) {
                    gate.setMode(RangeGate.Mode.REMOTE);
                    gate.releaseHeld();
                }
            }
            setState(MigrationState.FINAL_SWITCH);
            sendUntilOk(SwitchCommand.FINALSWITCH, SWITCH_EVERY_MILLIS, Long.MAX_VALUE);
            syncWorker.failQueued("+MIGRATING_FINISHED");
            if (!stopped) {
                setState(MigrationState.SWITCH_COMMITTED);
                LOG.info("migration {}: switch committed", identity);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            LOG.error("migration {}: failed: {}", identity, e.toString(), e);
        } finally {
            destination.close();
            mover.close();
            syncWorker.stop();
            if (stopped) {
                syncWorker.failQueued("-MIGRATION_TASK_NOT_FOUND");
            }
        }
    }

    /**
     * PRE_BLOCKING: stops new commands for the range and waits (woken by the event loop that
     * answers the last one) for those in flight; then PRE_SWITCH. False (and the range served
     * locally again) when that took longer than max_blocking_time.
     */
    private boolean blockAndSwitch() throws InterruptedException {
        long blockDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.maxBlockingTime());
        gate.setMode(RangeGate.Mode.HOLD);
        setState(MigrationState.PRE_BLOCKING);
        if (gate.awaitDrained(blockDeadline, clock) && !stopped) {
            setState(MigrationState.PRE_SWITCH);
            if (switchBefore(blockDeadline)) {
                return true;
            }
        }
        if (!stopped) {
            serveLocallyAgain("could not switch (" + gate.inFlight() + " commands in flight)");
        }
        return false;
    }

    /**
     * For a resumed task: the range's commands are held from the start; PRESWITCH until the
     * destination accepts it, then the range is served there. After max_blocking_time the held
     * commands are released and the normal start (PRECHECK, serving locally meanwhile) follows.
     */
    private boolean switchAgain() throws InterruptedException {
        long blockDeadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.maxBlockingTime());
        if (switchBefore(blockDeadline)) {
            return true;
        }
        if (!stopped) {
            serveLocallyAgain("the destination did not accept PRESWITCH");
        }
        return false;
    }

    /** PRESWITCH every millisecond until the destination accepts it; then SCANNING, the range served there. */
    private boolean switchBefore(long blockDeadline) throws InterruptedException {
        while (!stopped && clock.nanoTime() - blockDeadline < 0) {
            if (destination.send(SwitchCommand.PRESWITCH)) {
                gate.setMode(RangeGate.Mode.REMOTE);
                setState(MigrationState.SCANNING);
                gate.releaseHeld();
                return true;
            }
            clock.sleepMillis(SWITCH_EVERY_MILLIS);
        }
        return false;
    }

    /** The switch did not happen within max_blocking_time: the held commands are served here again. */
    private void serveLocallyAgain(String why) {
        stats.blockingTimeouts.increment();
        LOG.error("migration {}: {} within max_blocking_time ({} ms); serving the range locally again and retrying",
                identity, why, config.maxBlockingTime());
        gate.setMode(RangeGate.Mode.LOCAL);
        setState(MigrationState.PRE_CHECK);
        gate.releaseHeld();
    }

    private void sendUntilOk(SwitchCommand cmd, long everyMillis, long deadline) throws InterruptedException {
        while (!stopped && clock.nanoTime() - deadline < 0) {
            if (destination.send(cmd)) {
                return;
            }
            clock.sleepMillis(everyMillis);
        }
    }
}
