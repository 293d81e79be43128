package io.undermoon.proxy.migration;

import io.undermoon.model.MigrationConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.RangeList;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.SwitchArgs;
import io.undermoon.model.umctl.SwitchCommand;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source side of a migration (Ps): switches the range over to the importing proxy and then
 * copies its keys there. The state machine runs on one virtual thread; the event loops only call
 * the small lock-free routing methods ({@link #serveLocally()}, {@link #hold}, {@link #done()}).
 * See docs/migration.md.
 */
public final class MigratingTask implements MigrationTaskHandle {
    private static final Logger LOG = LoggerFactory.getLogger(MigratingTask.class);
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(10);

    /** How the event loops treat commands for the range right now. */
    enum Mode { LOCAL, HOLD, REMOTE }

    private final MigrationTask identity;
    private final MigrationConfig config;
    private final Optional<String> password;
    private final MigrationStats stats;
    private final Runnable onChange;
    private final Consumer<Command> release;
    private final AtomicLong inFlight = new AtomicLong();
    private final ConcurrentLinkedQueue<Command> held = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingDeque<KeyMover.SyncRequest> umsyncQueue = new LinkedBlockingDeque<>();
    private volatile Mode mode = Mode.LOCAL;
    private volatile MigrationState state = MigrationState.PRE_CHECK;
    private volatile boolean stopped;
    private Thread thread;
    private Thread syncWorker;
    private volatile boolean syncWorkerDone;
    private BlockingRespClient peer;
    private final KeyMover mover;
    private final KeyMover syncMover;
    private final boolean resume;
    private final LongSupplier load;
    /** The source's load last read by the scan (its thread only). */
    private long lastSourceLoad;

    /**
     * @param resume the range was already switched to the destination by the task this one
     *     replaces: hold its commands from the start and switch again (PRESWITCH) without ever
     *     serving it locally, see {@link MigrationManager}
     * @param load the number of commands this proxy has received so far, for the scan's pacing
     */
    MigratingTask(MigrationTask identity, MigrationConfig config, Optional<String> password, MigrationStats stats,
            Runnable onChange, Consumer<Command> release, boolean resume, LongSupplier load) {
        this.identity = identity;
        this.load = load;
        this.resume = resume;
        if (resume) {
            this.mode = Mode.HOLD;
            this.state = MigrationState.PRE_SWITCH;
        }
        this.config = config;
        this.password = password;
        this.stats = stats;
        this.onChange = onChange;
        this.release = release;
        MigrationMeta meta = identity.meta();
        this.mover = new KeyMover(meta.srcNodeAddress(), meta.dstNodeAddress(), identity.slotRange().rangeList(),
                DATA_TIMEOUT, MigrateHead.TIMEOUT_MILLIS, stats);
        this.syncMover = new KeyMover(meta.srcNodeAddress(), meta.dstNodeAddress(), identity.slotRange().rangeList(),
                DATA_TIMEOUT, MigrateHead.TIMEOUT_MILLIS, stats);
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

    /**
     * True when a command for the range may run on the source Redis now; it then counts as in
     * flight until {@link #done()}. The count goes up before the mode is read, so the switch, which
     * sets the mode before it waits for the count to reach zero, cannot miss it.
     */
    public boolean serveLocally() {
        inFlight.incrementAndGet();
        if (mode == Mode.LOCAL) {
            return true;
        }
        inFlight.decrementAndGet();
        return false;
    }

    /** A command that {@link #serveLocally()} let through got its reply. */
    public void done() {
        inFlight.decrementAndGet();
    }

    /** Keeps the command until the switch is decided; false when the range is not being switched. */
    public boolean hold(Command c) {
        if (mode != Mode.HOLD) {
            return false;
        }
        held.add(c);
        stats.heldCommands.increment();
        if (mode != Mode.HOLD) {
            releaseHeld();
        }
        return true;
    }

    /** UMSYNC from the importing proxy: move the key now (on the task thread) and answer. */
    public void umsync(byte[] key, Consumer<String> reply) {
        stats.umsyncReceived.increment();
        if (state.ordinal() >= MigrationState.FINAL_SWITCH.ordinal() || stopped) {
            reply.accept(state.ordinal() >= MigrationState.FINAL_SWITCH.ordinal() ? "+MIGRATING_FINISHED"
                    : "-MIGRATION_TASK_NOT_FOUND");
            return;
        }
        umsyncQueue.add(new KeyMover.SyncRequest(key, reply));
        if (stopped) {
            failQueuedSyncs("-MIGRATION_TASK_NOT_FOUND");
        } else if (state.ordinal() >= MigrationState.FINAL_SWITCH.ordinal()) {
            failQueuedSyncs("+MIGRATING_FINISHED"); // the worker has finished: every key is moved
        }
    }

    private void releaseHeld() {
        Command c;
        while ((c = held.poll()) != null) {
            release.accept(c);
        }
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
        if (syncWorker != null) {
            syncWorker.interrupt();
        }
        if (mode == Mode.HOLD) {
            // the new metadata decides where the held commands go
            mode = Mode.REMOTE;
            releaseHeld();
        }
        failQueuedSyncs("-MIGRATION_TASK_NOT_FOUND");
    }

    private void setState(MigrationState s) {
        state = s;
        onChange.run();
    }

    private void run() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.maxMigrationTime());
        try {
            LOG.info("migration {}: starting{}", identity, resume ? " (the range is switched already: resuming)" : "");
            boolean switched = resume && switchAgain();
            while (!switched && !stopped) {
                sendUntilOk(SwitchCommand.PRECHECK, 10, deadline);
                switched = blockAndSwitch(deadline);
                if (!switched && !stopped) {
                    if (System.nanoTime() - deadline > 0) {
                        break;
                    }
                    sleepMillis(100);
                }
            }
            if (switched) {
                startSyncWorker();
                scan(deadline);
                finishSyncWorker();
            }
            if (stopped) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.error("migration {}: exceeded max_migration_time ({} s); finishing the switch anyway",
                        identity, config.maxMigrationTime());
                if (mode != Mode.REMOTE) {
                    mode = Mode.REMOTE;
                    releaseHeld();
                }
            }
            setState(MigrationState.FINAL_SWITCH);
            sendUntilOk(SwitchCommand.FINALSWITCH, 1, Long.MAX_VALUE);
            failQueuedSyncs("+MIGRATING_FINISHED");
            if (!stopped) {
                setState(MigrationState.SWITCH_COMMITTED);
                LOG.info("migration {}: switch committed", identity);
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            LOG.error("migration {}: failed: {}", identity, e.toString(), e);
        } finally {
            closePeer();
            mover.close();
            if (syncWorker != null) {
                syncWorker.interrupt();
            }
            if (stopped) {
                failQueuedSyncs("-MIGRATION_TASK_NOT_FOUND");
            }
        }
    }

    /**
     * Stops new commands for the range, waits for those in flight, then switches the range to the
     * importing proxy. False (and the range served locally again) when that took longer than
     * max_blocking_time.
     */
    private boolean blockAndSwitch(long migrationDeadline) throws InterruptedException {
        long blockDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.maxBlockingTime());
        mode = Mode.HOLD;
        setState(MigrationState.PRE_BLOCKING);
        while (inFlight.get() > 0 && !stopped && System.nanoTime() - blockDeadline < 0) {
            Thread.sleep(0, 200_000);
        }
        if (inFlight.get() == 0 && !stopped) {
            setState(MigrationState.PRE_SWITCH);
            if (switchBefore(blockDeadline)) {
                return true;
            }
        }
        if (!stopped) {
            serveLocallyAgain("could not switch (" + inFlight.get() + " commands in flight)");
        }
        return false;
    }

    /**
     * For a resumed task: the range's commands are held from the start; PRESWITCH until the
     * destination accepts it, then the range is served there. After max_blocking_time the held
     * commands are released and the normal start (PRECHECK, serving locally meanwhile) follows.
     */
    private boolean switchAgain() throws InterruptedException {
        long blockDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.maxBlockingTime());
        if (switchBefore(blockDeadline)) {
            return true;
        }
        if (!stopped) {
            serveLocallyAgain("the destination did not accept PRESWITCH");
        }
        return false;
    }

    /** PRESWITCH every millisecond until the destination accepts it; then the range is served there. */
    private boolean switchBefore(long blockDeadline) throws InterruptedException {
        while (!stopped && System.nanoTime() - blockDeadline < 0) {
            if (sendSwitch(SwitchCommand.PRESWITCH)) {
                mode = Mode.REMOTE;
                setState(MigrationState.SCANNING);
                releaseHeld();
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    /** The switch did not happen within max_blocking_time: the held commands are served here again. */
    private void serveLocallyAgain(String why) {
        stats.blockingTimeouts.increment();
        LOG.error("migration {}: {} within max_blocking_time ({} ms); serving the range locally again and retrying",
                identity, why, config.maxBlockingTime());
        mode = Mode.LOCAL;
        setState(MigrationState.PRE_CHECK);
        releaseHeld();
    }

    private void scan(long deadline) throws InterruptedException {
        ScanPacer pacer = new ScanPacer(this::loadNow, TimeUnit.MICROSECONDS.toNanos(config.scanInterval()));
        destinationConfirmedAt = System.nanoTime() - DESTINATION_CHECK_NANOS; // the first step asks
        String cursor = "0";
        do {
            if (stopped || System.nanoTime() - deadline > 0) {
                return;
            }
            if (!destinationStillImporting()) {
                Thread.sleep(DESTINATION_RETRY_MILLIS);
                continue;
            }
            try {
                long t0 = System.nanoTime();
                cursor = mover.scanOnce(cursor, (int) config.scanCount());
                long t1 = System.nanoTime();
                long pause = pacer.pauseAfter(t1 - t0, t1);
                stats.scanSteps.increment();
                if (pause > 0) {
                    stats.scanStepsPaced.increment();
                    stats.scanPauseMicros.add(pause / 1000);
                    Thread.sleep(Duration.ofNanos(pause));
                }
            } catch (IOException e) {
                stats.sourceErrors.increment();
                LOG.warn("migration {}: {}; retrying", identity, e.getMessage());
                mover.close();
                Thread.sleep(50);
                continue;
            }
        } while (!cursor.equals("0"));
        LOG.info("migration {}: all keys copied", identity);
    }

    /** How old the destination's last confirmation may be when the scan moves keys. */
    static final long DESTINATION_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DESTINATION_RETRY_MILLIS = 10;
    private long destinationConfirmedAt;

    /**
     * Before moving keys, the importing proxy must still hold the switched range: confirmed by an
     * idempotent PRESWITCH at most {@link #DESTINATION_CHECK_NANOS} before each step. When that
     * proxy dies its Redis may live on while the broker promotes the Redis's replica in its place;
     * a MIGRATE to the orphaned Redis after that promotion would delete keys from the source that
     * the cluster no longer has anywhere (found by the chaos harness: ballast keys lost after a
     * proxy restart during a scale-out). The coordinator needs far longer than this interval to
     * notice the death and promote, so the scan stops moving before the promotion and waits for the
     * metadata that names the new destination (this task is then replaced).
     */
    private boolean destinationStillImporting() {
        long now = System.nanoTime();
        if (now - destinationConfirmedAt < DESTINATION_CHECK_NANOS) {
            return true;
        }
        if (!sendSwitch(SwitchCommand.PRESWITCH)) {
            stats.destinationUnconfirmed.increment();
            return false;
        }
        destinationConfirmedAt = System.nanoTime();
        return true;
    }

    /**
     * The load the scan yields to: commands this proxy received plus commands the source Redis
     * processed for others (clients reach it through the importing proxy too, and after a switch
     * of every slot the migrating proxy may see none of them). When the source cannot be asked,
     * counts as busy; the next step reconnects.
     */
    private long loadNow() {
        long source;
        try {
            source = mover.othersCommandsOnSource();
        } catch (IOException e) {
            source = lastSourceLoad + ScanPacer.BUSY_COMMANDS;
        }
        lastSourceLoad = source;
        return load.getAsLong() + source;
    }

    /** UMSYNC requests are served by a worker of their own, so they never wait for a scan batch. */
    private void startSyncWorker() {
        syncWorker = Thread.ofVirtual().name("umsync-" + identity.slotRange().rangeList()).start(() -> {
            try {
                while (!stopped && !(syncWorkerDone && umsyncQueue.isEmpty())) {
                    try {
                        syncMover.serveSyncs(umsyncQueue, 256, TimeUnit.MILLISECONDS.toNanos(5));
                    } catch (IOException e) {
                        stats.sourceErrors.increment();
                        LOG.warn("migration {}: UMSYNC: {}; retrying", identity, e.getMessage());
                        syncMover.close();
                        Thread.sleep(20);
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            } finally {
                syncMover.close();
            }
        });
    }

    /** Lets the worker serve what is queued, then waits for it. */
    private void finishSyncWorker() throws InterruptedException {
        syncWorkerDone = true;
        syncWorker.join();
    }

    private void failQueuedSyncs(String reply) {
        KeyMover.SyncRequest r;
        while ((r = umsyncQueue.poll()) != null) {
            r.reply().accept(reply);
        }
    }

    // ---- switch commands to the importing proxy ------------------------------------------------

    private void sendUntilOk(SwitchCommand cmd, long everyMillis, long deadline) throws InterruptedException {
        while (!stopped && System.nanoTime() - deadline < 0) {
            if (sendSwitch(cmd)) {
                return;
            }
            Thread.sleep(everyMillis);
        }
    }

    private String lastSwitchError;

    private boolean sendSwitch(SwitchCommand cmd) {
        List<String> args = cmd.toCommand(SwitchArgs.of(identity));
        try {
            if (peer == null || !peer.isOpen()) {
                peer = BlockingRespClient.connect(identity.meta().dstProxyAddress(), CONTROL_TIMEOUT);
                if (password.isPresent()) {
                    RespReply auth = peer.command("AUTH", password.get());
                    if (auth instanceof RespReply.Error e) {
                        throw new IOException("AUTH refused by the importing proxy: " + e.message());
                    }
                }
            }
            RespReply reply = peer.command(args.toArray(String[]::new));
            if (reply instanceof RespReply.Error e) {
                logSwitchError(cmd + ": " + e.message());
                return false;
            }
            lastSwitchError = null;
            return true;
        } catch (IOException e) {
            closePeer();
            logSwitchError(cmd + ": " + e.getMessage());
            return false;
        }
    }

    private void logSwitchError(String error) {
        if (!error.equals(lastSwitchError)) {
            LOG.info("migration {}: {} (retrying)", identity, error);
            lastSwitchError = error;
        }
    }

    private void closePeer() {
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }

    private void sleepMillis(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }
}
