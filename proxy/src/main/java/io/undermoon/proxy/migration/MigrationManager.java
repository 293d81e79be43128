package io.undermoon.proxy.migration;

import io.netty.buffer.ByteBuf;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.SwitchArgs;
import io.undermoon.model.umctl.SwitchCommand;
import io.undermoon.model.umctl.UmctlParseException;
import io.undermoon.proxy.meta.ClusterMetaState;
import io.undermoon.proxy.meta.UmctlCommands;
import io.undermoon.proxy.route.Route;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.reply.Replies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration tasks of this proxy: one per local MIGRATING or IMPORTING range of the current
 * metadata. {@link #reconcile} keeps tasks whose identity is unchanged, stops removed ones and
 * creates new ones; the caller starts them once the new routes are published.
 *
 * <p>A failover during a migration gives its tasks a new identity (new epoch, and the failed side's
 * node replaced by its promoted replica), and the migration starts over. If the range had already
 * been switched to the destination, the destination's Redis holds the newest values of every key
 * moved or written since, and the source's (new) Redis no longer has them: sending clients back to
 * the source would show them stale or missing data, and their writes there would later be dropped
 * by the copy (RESTORE never overwrites). So a new task whose predecessor on this proxy (same
 * cluster, same range list, same local node) had switched keeps the range switched: an importing
 * task starts in PRE_SWITCH (serving the range, pulling missing keys from the new source), a
 * migrating task holds the range's commands until the destination has accepted PRESWITCH again.
 */
public final class MigrationManager implements ClusterMetaState.Migrations, UmctlCommands.MigrationHooks {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationManager.class);
    /** The default of migration_latency_target (microseconds). */
    public static final long DEFAULT_LATENCY_TARGET_MICROS = 1000;

    private final Optional<String> password;
    private final MigrationStats stats = new MigrationStats();
    private final Runnable onChange;
    private final Supplier<RouteTable> table;
    private volatile Map<MigrationTask, MigrationTaskHandle> tasks = Map.of();
    private volatile java.util.function.Predicate<String> flushPending = node -> false;
    private final List<MigratingTask> toStart = new ArrayList<>();
    private volatile LongSupplier load = () -> 0;
    private volatile long latencyTargetMicros = DEFAULT_LATENCY_TARGET_MICROS;

    /**
     * @param onChange called when a task changes state (the topology shown to clients depends on it)
     */
    public MigrationManager(Optional<String> password, Runnable onChange, Supplier<RouteTable> table) {
        this.password = password;
        this.onChange = onChange;
        this.table = table;
    }

    public MigrationStats stats() {
        return stats;
    }

    /**
     * The destination node must not take part in a migration while its leftover data is still
     * to be flushed (see the replication manager): the switch commands get NOT_READY_FOR_SWITCHING
     * until then, and the source retries.
     */
    public void setImportGate(java.util.function.Predicate<String> flushPendingForNode) {
        this.flushPending = flushPendingForNode;
    }

    /**
     * The count of commands this proxy has received, which the scans read to pace themselves: at
     * full speed while nobody is served, by the latency they add otherwise (see {@link ScanPacer}).
     */
    public void setLoadSignal(LongSupplier commandsReceived) {
        this.load = commandsReceived;
    }

    /**
     * migration_latency_target in microseconds: the scans of later tasks slow down while the
     * clients' latency on the Redis they share exceeds it (0: no pacing), see {@link ScanPacer}.
     */
    public void setLatencyTarget(long micros) {
        this.latencyTargetMicros = micros;
    }

    /** Brings the task set in line with new metadata. Call {@link #startNew()} after publishing routes. */
    @Override
    public synchronized void reconcile(String clusterName, Map<String, List<SlotRange>> local, ClusterConfig config) {
        Map<MigrationTask, MigrationTaskHandle> next = new LinkedHashMap<>();
        for (List<SlotRange> ranges : local.values()) {
            for (SlotRange sr : ranges) {
                if (sr.tag().isStable() || clusterName.isEmpty()) {
                    continue;
                }
                MigrationTask id = new MigrationTask(clusterName, sr);
                MigrationTaskHandle existing = tasks.get(id);
                if (existing != null) {
                    next.put(id, existing);
                } else if (id.isMigrating()) {
                    boolean resume = switchedBefore(id, MigrationState.SCANNING);
                    MigratingTask t = new MigratingTask(id, config.migrationConfig(), password, stats, onChange,
                            resume, load, latencyTargetMicros, MigrationClock.SYSTEM);
                    next.put(id, t);
                    toStart.add(t);
                } else if (switchedBefore(id, MigrationState.PRE_SWITCH)) {
                    next.put(id, new ImportingTask(id, onChange, MigrationState.PRE_SWITCH));
                    LOG.info("migration {}: importing; the range was switched here already, still serving it", id);
                } else {
                    next.put(id, new ImportingTask(id, onChange, MigrationState.PRE_CHECK));
                    LOG.info("migration {}: importing, waiting for the source", id);
                }
            }
        }
        for (var e : tasks.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                LOG.info("migration {}: removed by new metadata", e.getKey());
                e.getValue().stop();
            }
        }
        tasks = next;
    }

    /**
     * True when a current task of the same cluster, side, range list and local node (the source
     * node when migrating, the destination node when importing) has reached {@code atLeast}: the
     * range was switched to the destination before this task replaced it.
     */
    private boolean switchedBefore(MigrationTask id, MigrationState atLeast) {
        for (var e : tasks.entrySet()) {
            MigrationTask old = e.getKey();
            boolean sameNode = id.isMigrating()
                    ? old.meta().srcNodeAddress().equals(id.meta().srcNodeAddress())
                    : old.meta().dstNodeAddress().equals(id.meta().dstNodeAddress());
            if (old.isMigrating() == id.isMigrating() && sameNode && old.clusterName().equals(id.clusterName())
                    && old.slotRange().rangeList().equals(id.slotRange().rangeList())
                    && e.getValue().state().ordinal() >= atLeast.ordinal()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void startNew() {
        toStart.forEach(MigratingTask::start);
        toStart.clear();
    }

    public synchronized void stopAll() {
        tasks.values().forEach(MigrationTaskHandle::stop);
        tasks = Map.of();
    }

    // ---- MigrationLookup ----------------------------------------------------------------------

    @Override
    public MigrationTaskHandle task(String clusterName, SlotRange range) {
        return tasks.get(new MigrationTask(clusterName, range));
    }

    @Override
    public MigrationState localState(RangeList ranges) {
        for (MigrationTaskHandle t : tasks.values()) {
            if (t.identity().slotRange().rangeList().equals(ranges)) {
                return t.state();
            }
        }
        return null;
    }

    // ---- UMCTL hooks ---------------------------------------------------------------------------

    @Override
    public List<String> finishedTasks() {
        List<String> out = new ArrayList<>();
        for (MigrationTaskHandle t : tasks.values()) {
            if (t.state() == MigrationState.SWITCH_COMMITTED) {
                out.add(t.identity().toText());
            }
        }
        return out;
    }

    @Override
    public List<String> describeTasks() {
        List<String> out = new ArrayList<>();
        for (MigrationTaskHandle t : tasks.values()) {
            var m = t.identity().meta();
            out.add(t.identity().slotRange().rangeList() + " " + m.srcNodeAddress() + " -> " + m.dstNodeAddress() + " "
                    + t.state() + (t instanceof MigratingTask ? " (migrating)" : " (importing)"));
        }
        return out;
    }

    @Override
    public List<String> statsLines() {
        return stats.lines();
    }

    @Override
    public void switchCommand(ClientSession s, Command c, String sub) {
        List<byte[]> tokens = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            tokens.add(c.argBytes(i));
        }
        SwitchArgs args;
        try {
            args = SwitchArgs.parse(tokens);
        } catch (UmctlParseException e) {
            c.complete(Replies.error(s.channel().alloc(), e.reason() == UmctlParseException.Reason.StableRange
                    ? "Invalid Arg" : "failed to parse migration switch arguments"));
            return;
        }
        c.complete(switchReply(s, args, sub));
    }

    private ByteBuf switchReply(ClientSession s, SwitchArgs args, String sub) {
        MigrationTask wanted = args.task().asImporting();
        RouteTable t = table.get();
        if (t.epoch() < wanted.meta().epoch()) {
            return Replies.error(s.channel().alloc(), "NOT_READY_FOR_SWITCHING");
        }
        MigrationTaskHandle task = t.clusterName().equals(wanted.clusterName()) ? tasks.get(wanted) : null;
        if (task == null) {
            boolean migrating = tasks.containsKey(wanted.asMigrating());
            return Replies.error(s.channel().alloc(), migrating ? "Peer Not Migrating" : "TASK_NOT_FOUND");
        }
        if (!args.isCompatibleVersion()) {
            return Replies.error(s.channel().alloc(), "switch failed: IncompatibleVersion");
        }
        if (flushPending.test(wanted.meta().dstNodeAddress())) {
            return Replies.error(s.channel().alloc(), "NOT_READY_FOR_SWITCHING");
        }
        ImportingTask importing = (ImportingTask) task;
        switch (SwitchCommand.fromWord(sub).orElseThrow()) {
            case PRECHECK -> importing.advanceTo(MigrationState.PRE_CHECK);
            case PRESWITCH -> importing.advanceTo(MigrationState.PRE_SWITCH);
            case FINALSWITCH -> importing.advanceTo(MigrationState.SWITCH_COMMITTED);
            default -> throw new IllegalStateException();
        }
        return Replies.of(Replies.OK);
    }

    @Override
    public void umsync(ClientSession s, Command c) {
        byte[] key = c.argBytes(1);
        Route r = table.get().route(SlotHash.slot(key));
        if (!(r instanceof Route.Migrating m)) {
            c.complete(Replies.error(s.channel().alloc(), "MIGRATION_TASK_NOT_FOUND"));
            return;
        }
        m.task().umsync(key, text -> s.loop().eventLoop().execute(() -> c.complete(
                text.startsWith("+") ? Replies.simple(s.channel().alloc(), text.substring(1))
                        : Replies.error(s.channel().alloc(), text.substring(1)))));
    }
}
