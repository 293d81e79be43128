package io.undermoon.proxy.replication;

import io.undermoon.model.Addresses;
import io.undermoon.model.umctl.SetReplArgs;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps one local Redis in the role SETREPL gave it, on a virtual thread of its own. */
final class Replicator {
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

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
    /** The pause after a failed assertion (the node restarting, say) or before a master is confirmed. */
    private static final long RETRY_MILLIS = 200;

    Replicator(SetReplArgs.Entry entry, LocalBackend backend, Duration interval, Duration timeout, boolean alreadyMaster,
            boolean flushFirst) {
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
            java.util.concurrent.locks.LockSupport.parkNanos(this, Math.min(left, ROLE_CHECK_MILLIS * 1_000_000L));
            if (stopped || flushFirst || end - System.nanoTime() <= 0) {
                return;
            }
            if (lastError == null && !roleHolds()) {
                return;
            }
        }
    }

    /** True when the node answers ROLE with the role last asserted (a replica: of the same master). */
    private boolean roleHolds() {
        if (client == null || !client.isOpen()) {
            return false;
        }
        try {
            RespReply r = client.command("ROLE");
            if (!(r instanceof RespReply.Array a) || a.items().isEmpty() || !(a.items().get(0) instanceof RespReply.Bulk role)) {
                return false;
            }
            if (entry instanceof SetReplArgs.Master) {
                return role.text().equals("master");
            }
            return role.text().equals("slave") && a.items().size() >= 3
                    && a.items().get(1) instanceof RespReply.Bulk host && host.text().equals(assertedMasterIp)
                    && a.items().get(2) instanceof RespReply.Int port && port.value() == assertedMasterPort;
        } catch (IOException e) {
            closeClient();
            return false;
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
            }
        }
    }

    private static void check(RespReply reply) throws IOException {
        if (reply instanceof RespReply.Error e) {
            throw new IOException("Redis answered: " + e.message());
        }
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
