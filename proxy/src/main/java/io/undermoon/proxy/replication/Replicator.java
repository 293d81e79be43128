package io.undermoon.proxy.replication;

import io.undermoon.model.Addresses;
import io.undermoon.model.umctl.ReplStatus;
import io.undermoon.model.umctl.SetReplArgs;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one local Redis in the role SETREPL gave it, on a virtual thread of its own, and follows its
 * replication through {@code ROLE} ({@link #status()}, for {@code UMCTL REPLSTATUS} and the metrics).
 *
 * <p>A replica is {@code synced} once ROLE shows it {@code connected} to the master it was given:
 * it has completed a full or partial sync of that master. It is not synced after a REPLICAOF that
 * gave it a new master (Redis answers {@code +OK}, not {@code +OK Already connected...}), after it
 * lost its role (a restart) or when it cannot be reached (it may be restarting); it is unknown when
 * this replicator found it already replicating that master with the link down (the proxy restarted:
 * whether it ever synced cannot be told). While not synced, ROLE is looked at every
 * {@link #UNSYNCED_CHECK_MILLIS} so a completed sync is seen quickly.
 *
 * <p>With {@code fastFirstSync}, a master's Redis gets {@code CONFIG SET repl-diskless-sync-delay 0}
 * once per connection, after the promotion (Redis waits 5 s by default before it starts a replica's
 * first sync, and the master is the only copy meanwhile). A refused CONFIG is logged once per node.
 */
final class Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    /** Nodes whose refused CONFIG SET was logged already (once per node and process). */
    private static final java.util.Set<String> CONFIG_REFUSAL_LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final SetReplArgs.Entry entry;
    private final LocalBackend backend;
    private final Duration interval;
    private final Duration timeout;
    private volatile boolean stopped;
    private volatile boolean confirmedMaster;
    private volatile boolean flushFirst;
    private volatile boolean slotless;
    private Thread thread;
    private BlockingRespClient client;
    private String lastError;
    /** The master the replica role was last asserted with (ROLE reports it as an IP and a port). */
    private String assertedMasterIp;
    private int assertedMasterPort;
    /** How often the node's role is looked at between two assertions. */
    static final long ROLE_CHECK_MILLIS = 500;
    /** How often a replica that has not synced yet is looked at. */
    static final long UNSYNCED_CHECK_MILLIS = 100;
    private final boolean fastFirstSync;
    /** The fast-sync setting was applied (or refused) on the current connection. */
    private boolean tuned;
    private volatile ReplStatus.Synced synced = ReplStatus.Synced.UNKNOWN;
    private volatile boolean linkUp;
    private volatile long offset = -1;
    private volatile int replicasOnline;
    /** The pause after a failed assertion (the node restarting, say) or before a master is confirmed. */
    private static final long RETRY_MILLIS = 200;

    Replicator(SetReplArgs.Entry entry, LocalBackend backend, Duration interval, Duration timeout, boolean alreadyMaster,
            boolean flushFirst) {
        this(entry, backend, interval, timeout, alreadyMaster, flushFirst, true);
    }

    Replicator(SetReplArgs.Entry entry, LocalBackend backend, Duration interval, Duration timeout, boolean alreadyMaster,
            boolean flushFirst, boolean fastFirstSync) {
        this.fastFirstSync = fastFirstSync;
        this.entry = entry;
        this.flushFirst = flushFirst;
        this.backend = backend;
        this.interval = interval;
        this.timeout = timeout;
        this.confirmedMaster = alreadyMaster;
        if (entry instanceof SetReplArgs.Master && !alreadyMaster) {
            backend.setAwaitingPromotion(true);
        } else if (entry instanceof SetReplArgs.Replica) {
            backend.setAwaitingPromotion(false);
        }
    }

    SetReplArgs.Entry entry() {
        return entry;
    }

    boolean isConfirmedMaster() {
        return confirmedMaster;
    }

    /** What this replicator knows of the node's replication, or null (a replica entry without a master). */
    ReplStatus status() {
        return switch (entry) {
            case SetReplArgs.Master m -> new ReplStatus.Master(m.nodeAddress(), m.clusterName(), replicasOnline, offset);
            case SetReplArgs.Replica r -> r.masters().isEmpty() ? null
                    : new ReplStatus.Replica(r.nodeAddress(), r.clusterName(), r.masters().get(0).nodeAddress(), linkUp, synced, offset);
        };
    }

    /** The node has no slots now: flush it once (again after it had slots in between). */
    void requestFlush() {
        if (slotless) {
            return;
        }
        slotless = true;
        flushFirst = true;
        Thread t = thread;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** The node got slots again: a later slot-less period flushes it again. */
    void slotsGiven() {
        slotless = false;
    }

    boolean flushPending() {
        return flushFirst;
    }

    /**
     * Starts asserting the role once {@code previous} (the stopped replicator of the same node, or
     * null) has finished: its last command has been answered, so it cannot reach Redis after ours
     * (a late REPLICAOF from a replaced replica role would turn a just-promoted master back into a
     * replica of its old master).
     */
    void start(Replicator previous) {
        thread = Thread.ofVirtual().name("replicator-" + entry.nodeAddress()).start(() -> {
            if (previous != null && !previous.awaitEnd()) {
                return;
            }
            run();
        });
    }

    /**
     * Stops after the command in progress, if any, has been answered (or timed out). Not an
     * interrupt: an interrupted blocking write may already have handed the command to the kernel.
     */
    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** Waits for the thread to end; false when this thread was interrupted meanwhile. */
    private boolean awaitEnd() {
        Thread t = thread;
        if (t == null) {
            return true;
        }
        try {
            t.join();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        while (!stopped) {
            try {
                assertRole();
                lastError = null;
            } catch (IOException e) {
                closeClient();
                lostTrack();
                String msg = e.getMessage();
                if (!msg.equals(lastError)) {
                    LOG.warn("replication: cannot set the role of {} ({}): {}", entry.nodeAddress(), entry.role(), msg);
                    lastError = msg;
                }
            }
            if (flushFirst && lastError == null) {
                continue; // a flush was requested meanwhile
            }
            if (stopped) {
                break; // checked after the command: an unpark during its blocking I/O is not kept for the park
            }
            Duration pause = confirmedOrReplica() && lastError == null ? interval
                    : Duration.ofMillis(Math.min(RETRY_MILLIS, interval.toMillis()));
            pauseWatchingRole(pause);
        }
        closeClient();
    }

    /**
     * Waits for the pause, asking the node for its {@code ROLE} every {@link #ROLE_CHECK_MILLIS}
     * meanwhile, and returns early when the node no longer has its role or cannot be asked: a
     * restarted Redis comes back as a master of nobody, and a replica left so for the whole
     * replication_interval (or twice that, when the first attempt meets the dead connection) is a
     * master running without its copy all that time.
     */
    private void pauseWatchingRole(Duration pause) {
        long end = System.nanoTime() + pause.toNanos();
        while (!stopped && !flushFirst) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            long check = entry instanceof SetReplArgs.Replica && synced != ReplStatus.Synced.YES
                    ? UNSYNCED_CHECK_MILLIS : ROLE_CHECK_MILLIS;
            java.util.concurrent.locks.LockSupport.parkNanos(this, Math.min(left, check * 1_000_000L));
            if (stopped || flushFirst || end - System.nanoTime() <= 0) {
                return;
            }
            if (lastError == null && !roleHolds()) {
                return;
            }
        }
    }

    /**
     * True when the node answers ROLE with the role last asserted (a replica: of the same master);
     * records what ROLE says of the replication meanwhile.
     */
    private boolean roleHolds() {
        if (client == null || !client.isOpen()) {
            lostTrack();
            return false;
        }
        try {
            RespReply r = client.command("ROLE");
            boolean holds = observe(r);
            if (!holds) {
                lostTrack();
            }
            return holds;
        } catch (IOException e) {
            closeClient();
            lostTrack();
            return false;
        }
    }

    /**
     * Reads a ROLE reply: {@code master <offset> [[ip port offset]...]} (Redis lists the replicas that
     * completed their sync) or {@code slave <ip> <port> <state> <offset>}; true when it is the role
     * last asserted.
     */
    private boolean observe(RespReply r) {
        if (!(r instanceof RespReply.Array a) || a.items().isEmpty() || !(a.items().get(0) instanceof RespReply.Bulk role)) {
            return false;
        }
        List<RespReply> items = a.items();
        if (entry instanceof SetReplArgs.Master) {
            if (!role.text().equals("master")) {
                return false;
            }
            offset = items.size() > 1 && items.get(1) instanceof RespReply.Int o ? Math.max(-1, o.value()) : -1;
            replicasOnline = items.size() > 2 && items.get(2) instanceof RespReply.Array replicas ? replicas.items().size() : 0;
            return true;
        }
        boolean holds = role.text().equals("slave") && items.size() >= 3
                && items.get(1) instanceof RespReply.Bulk host && host.text().equals(assertedMasterIp)
                && items.get(2) instanceof RespReply.Int port && port.value() == assertedMasterPort;
        if (holds) {
            boolean connected = items.size() > 3 && items.get(3) instanceof RespReply.Bulk state && state.text().equals("connected");
            offset = items.size() > 4 && items.get(4) instanceof RespReply.Int o ? Math.max(-1, o.value()) : -1;
            linkUp = connected;
            if (connected && synced != ReplStatus.Synced.YES) {
                synced = ReplStatus.Synced.YES;
                LOG.info("replication: {} completed a sync of its master {}", entry.nodeAddress(), assertedMasterIp + ":" + assertedMasterPort);
            }
        }
        return holds;
    }

    /** The node lost its role or cannot be asked: a replica's data can no longer be vouched for. */
    private void lostTrack() {
        linkUp = false;
        offset = -1;
        replicasOnline = 0;
        if (entry instanceof SetReplArgs.Replica) {
            synced = ReplStatus.Synced.NO;
        }
    }

    private boolean confirmedOrReplica() {
        return !(entry instanceof SetReplArgs.Master) || confirmedMaster;
    }

    private void assertRole() throws IOException {
        if (client == null || !client.isOpen()) {
            client = BlockingRespClient.connect(entry.nodeAddress(), timeout);
        }
        RespReply reply;
        switch (entry) {
            case SetReplArgs.Master m -> {
                reply = client.command("REPLICAOF", "NO", "ONE");
                check(reply);
                if (flushFirst) {
                    check(client.command("FLUSHALL"));
                    LOG.info("replication: {} is a new master of cluster '{}' (from the free pool, or without slots);"
                            + " flushed its leftover data", entry.nodeAddress(), entry.clusterName());
                    flushFirst = false;
                }
                if (!confirmedMaster) {
                    LOG.info("replication: {} is master", entry.nodeAddress());
                }
                confirmedMaster = true;
                if (!stopped) {
                    backend.setAwaitingPromotion(false);
                }
                if (fastFirstSync && !tuned) {
                    tuneFirstSync();
                }
            }
            case SetReplArgs.Replica r -> {
                if (r.masters().isEmpty()) {
                    throw new IOException("no master given for replica " + r.nodeAddress());
                }
                String master = r.masters().get(0).nodeAddress();
                Addresses.HostPort hp = Addresses.parse(master).orElseThrow(() -> new IOException("invalid master address " + master));
                String ip = InetAddress.getByName(hp.host()).getHostAddress();
                reply = client.command("REPLICAOF", ip, Integer.toString(hp.port()));
                check(reply);
                assertedMasterIp = ip;
                assertedMasterPort = hp.port();
                // "+OK" means a new master: a full or partial sync of it is to come; "+OK Already
                // connected to specified master" leaves what we know as it is
                if (!(reply instanceof RespReply.Simple ok && ok.text().startsWith("OK Already"))) {
                    synced = ReplStatus.Synced.NO;
                    linkUp = false;
                }
            }
        }
    }

    private static void check(RespReply reply) throws IOException {
        if (reply instanceof RespReply.Error e) {
            throw new IOException("Redis answered: " + e.message());
        }
    }

    /**
     * Makes the master start a replica's first sync at once: Redis waits {@code repl-diskless-sync-delay}
     * (5 s by default) for more replicas before a diskless sync, and each master here has one
     * replica. Once per connection (a restarted Redis has its configured value again). A refusal
     * (CONFIG renamed or denied by an ACL) is logged once per node; the role stays asserted.
     */
    private void tuneFirstSync() throws IOException {
        tuned = true;
        RespReply current = client.command("CONFIG", "GET", "repl-diskless-sync-delay");
        if (current instanceof RespReply.Error e) {
            configRefused(e.message());
            return;
        }
        String was = current instanceof RespReply.Array a && a.items().size() == 2 && a.items().get(1) instanceof RespReply.Bulk v
                ? v.text() : null;
        if ("0".equals(was)) {
            return;
        }
        RespReply set = client.command("CONFIG", "SET", "repl-diskless-sync-delay", "0");
        if (set instanceof RespReply.Error e) {
            configRefused(e.message());
            return;
        }
        LOG.info("replication: set repl-diskless-sync-delay 0 (was {}) on {}, so that its replica's first sync starts at once"
                + " (fast_first_sync)", was == null ? "unknown" : was, entry.nodeAddress());
    }

    private void configRefused(String message) {
        if (CONFIG_REFUSAL_LOGGED.add(entry.nodeAddress())) {
            LOG.warn("replication: {} refused CONFIG SET repl-diskless-sync-delay 0 ({}); its replicas wait for Redis's own"
                    + " delay (5 s unless configured) before their first sync, and the master is the only copy meanwhile."
                    + " Set repl-diskless-sync-delay 0 in its redis.conf, or turn fast_first_sync off to silence this",
                    entry.nodeAddress(), message);
        }
    }

    private void closeClient() {
        tuned = false;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
