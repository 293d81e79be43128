package io.undermoon.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.undermoon.model.Addresses;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.resp.RespWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Everything one event loop owns: its backend connection groups (indexed by backend id), its
 * dedicated connections for blocking commands, and the batch of channels to flush at the end of
 * the current loop iteration. Only the loop's own thread touches it.
 */
public final class LoopResources {
    /** Something that writes without flushing and wants one flush per loop iteration. */
    public interface Flushable {
        void flushNow();
    }

    private static final int MAX_IDLE_DEDICATED = 16;

    /**
     * When dirty backend connections are written to the socket ({@code backend_batch_strategy}):
     * {@link #EVERY_ITERATION} ("disabled", the default) flushes each one at the end of every
     * event-loop iteration, so that the requests of all clients that arrived in one iteration leave
     * in one write; {@link #fixed} (the reference's "fixed") flushes a connection only once it
     * holds {@code flushSize} bytes or {@code lowIntervalNanos} have passed since its last flush,
     * and otherwise at the latest after {@code highIntervalNanos}: fewer, larger writes at the price
     * of latency.
     */
    public record FlushPolicy(boolean batched, long flushSize, long lowIntervalNanos, long highIntervalNanos) {
        public static final FlushPolicy EVERY_ITERATION = new FlushPolicy(false, 0, 0, 0);

        public static FlushPolicy fixed(long flushSize, long lowIntervalNanos, long highIntervalNanos) {
            return new FlushPolicy(true, flushSize, lowIntervalNanos, highIntervalNanos);
        }
    }

    private final EventLoop loop;
    private final Class<? extends Channel> channelClass;
    private final int connectionsPerBackend;
    private final long backendTimeoutNanos;
    private BackendGroup[] groups = new BackendGroup[16];
    private final List<BackendConnection> dirtyBackends = new ArrayList<>();
    private final List<Flushable> dirtyOthers = new ArrayList<>();
    private final Map<String, ArrayDeque<BackendConnection>> idleDedicated = new HashMap<>();
    private final Set<BackendConnection> busyDedicated = new HashSet<>();
    private final Map<String, BackendGroup> extraGroups = new HashMap<>();
    private String clusterPassword = "";
    private ByteBuf clusterAuth;
    private final Map<String, BackendGroup> redisGroups = new HashMap<>();
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushAll;
    private Bootstrap bootstrap;
    private ByteBuf peerAuth;
    private final LoopStats stats = new LoopStats();
    private FlushPolicy flushPolicy = FlushPolicy.EVERY_ITERATION;
    /** Dirty connections whose flush the fixed policy put off, and whether its timer is set. */
    private final List<BackendConnection> deferred = new ArrayList<>();
    private boolean deferredTimerSet;
    private final Runnable deferredFlush = this::flushDeferred;

    public LoopResources(EventLoop loop, Class<? extends Channel> channelClass, int connectionsPerBackend,
            long backendTimeoutMillis) {
        this.loop = loop;
        this.channelClass = channelClass;
        this.connectionsPerBackend = connectionsPerBackend;
        this.backendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(backendTimeoutMillis);
        long checkEvery = Math.max(10, Math.min(1000, backendTimeoutMillis / 4));
        loop.scheduleAtFixedRate(this::checkTimeouts, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
    }

    /** Sets how backend connections are flushed (before any is used). */
    public void setFlushPolicy(FlushPolicy policy) {
        this.flushPolicy = policy;
    }

    long flushSizeThreshold() {
        return flushPolicy.flushSize();
    }

    public LoopStats stats() {
        return stats;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    /** The connection group of a local backend. */
    public BackendGroup group(LocalBackend backend) {
        int id = backend.id();
        if (id >= groups.length) {
            BackendGroup[] bigger = new BackendGroup[Math.max(groups.length * 2, id + 1)];
            System.arraycopy(groups, 0, bigger, 0, groups.length);
            groups = bigger;
        }
        BackendGroup g = groups[id];
        if (g == null) {
            g = new BackendGroup(this, backend.address(), connectionsPerBackend, backendTimeoutNanos);
            groups[id] = g;
        }
        return g;
    }

    /** A group for a peer proxy (with the AUTH of {@link #peerAuth()}, when there is one). */
    public BackendGroup groupFor(String address) {
        return extraGroups.computeIfAbsent(address, a -> newGroup(a, peerAuth()));
    }

    /**
     * The current cluster's password (empty for none). Peer proxies serve data commands of a
     * cluster with a password only to a connection that gave it, so peers are reached with
     * {@code AUTH <cluster password>}; a change retires the peer connections made with the old one.
     */
    public void setClusterPassword(String password) {
        if (password.equals(clusterPassword)) {
            return;
        }
        clusterPassword = password;
        clusterAuth = password.isEmpty() ? null : Unpooled.unreleasableBuffer(
                RespWriter.command(UnpooledByteBufAllocator.DEFAULT, "AUTH", password).asReadOnly());
        extraGroups.values().forEach(BackendGroup::retire);
        extraGroups.clear();
    }

    /** A group for a Redis that is not a local backend (a migration's source Redis): no AUTH. */
    public BackendGroup redisGroupFor(String address) {
        return redisGroups.computeIfAbsent(address, a -> newGroup(a, null));
    }

    private BackendGroup newGroup(String address, ByteBuf initCommand) {
        BackendGroup g = new BackendGroup(this, address, connectionsPerBackend, backendTimeoutNanos);
        if (initCommand != null) {
            g.setInitCommand(initCommand);
        }
        return g;
    }

    /** Peer proxies share our password: connections to them send this AUTH first. */
    public void setPeerAuth(ByteBuf authCommand) {
        this.peerAuth = authCommand;
    }

    /**
     * A connection of its own for one blocking command. {@code timeoutMillis} 0 means the command may
     * wait forever; otherwise the connection is given up after that long plus backend_timeout.
     */
    public BackendConnection acquireDedicated(String address, long timeoutMillis) {
        ArrayDeque<BackendConnection> idle = idleDedicated.get(address);
        BackendConnection c = idle == null ? null : idle.poll();
        long timeout = timeoutMillis == 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(timeoutMillis) + backendTimeoutNanos;
        if (c == null || c.isClosed()) {
            c = new BackendConnection(this, address, true, timeout);
        } else {
            c.setTimeoutNanos(timeout);
        }
        busyDedicated.add(c);
        return c;
    }

    /**
     * A connection one client holds across commands (a transaction with WATCH): it is not returned
     * to the idle pool until {@link #releaseHeld}. To a peer proxy it first sends our AUTH.
     */
    public BackendConnection acquireHeld(String address, boolean peer) {
        BackendConnection c = acquireDedicated(address, 1);
        c.held = true;
        if (peer && peerAuth() != null) {
            c.setInitCommand(peerAuth());
        }
        return c;
    }

    /** Gives a held connection back: pooled once its replies are in (its Redis-side state must be clean). */
    public void releaseHeld(BackendConnection c) {
        c.held = false;
        c.onLost(null);
        if (c.inFlightCount() == 0) {
            releaseDedicated(c);
        }
    }

    /** The AUTH command sent first to peer proxies (the cluster's password, else ours), or null without one. */
    public ByteBuf peerAuth() {
        return clusterAuth != null ? clusterAuth : peerAuth;
    }

    void releaseDedicated(BackendConnection c) {
        if (!busyDedicated.remove(c)) {
            return;
        }
        ArrayDeque<BackendConnection> idle = idleDedicated.computeIfAbsent(c.address(), a -> new ArrayDeque<>());
        if (idle.size() >= MAX_IDLE_DEDICATED || c.isClosed()) {
            c.close();
        } else {
            idle.add(c);
        }
    }

    void forgetDedicated(BackendConnection c) {
        busyDedicated.remove(c);
        ArrayDeque<BackendConnection> idle = idleDedicated.get(c.address());
        if (idle != null) {
            idle.remove(c);
        }
    }

    /** Keeps the groups of these backend ids and retires the others (after their replies arrive). */
    public void retainOnly(Set<Integer> liveIds, Set<String> liveExtraAddresses) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] != null && !liveIds.contains(i)) {
                groups[i].retire();
                groups[i] = null;
            }
        }
        extraGroups.entrySet().removeIf(e -> {
            if (!liveExtraAddresses.contains(e.getKey())) {
                e.getValue().retire();
                return true;
            }
            return false;
        });
    }

    void markDirty(BackendConnection c) {
        if (!c.dirty) {
            c.dirty = true;
            dirtyBackends.add(c);
            scheduleFlush();
        }
    }

    /** Schedules {@code f.flushNow()} at the end of this loop iteration (call once per dirtying). */
    public void markDirty(Flushable f) {
        dirtyOthers.add(f);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushAll() {
        flushScheduled = false;
        // backends first: requests leave before replies are flushed to clients
        if (flushPolicy.batched()) {
            flushOrDefer();
        } else {
            for (int i = 0; i < dirtyBackends.size(); i++) {
                dirtyBackends.get(i).flush();
            }
        }
        dirtyBackends.clear();
        for (int i = 0; i < dirtyOthers.size(); i++) {
            dirtyOthers.get(i).flushNow();
        }
        dirtyOthers.clear();
    }

    /** The fixed policy: flushes what is large or old enough, defers the rest to a timer. */
    private void flushOrDefer() {
        long now = System.nanoTime();
        for (int i = 0; i < dirtyBackends.size(); i++) {
            BackendConnection c = dirtyBackends.get(i);
            if (c.unflushedBytes() >= flushPolicy.flushSize() || now - c.lastFlushNanos() >= flushPolicy.lowIntervalNanos()) {
                c.flush(now);
            } else if (!c.deferred) {
                c.deferred = true;
                c.dirty = false; // later writes do not schedule another iteration flush for it
                deferred.add(c);
            }
        }
        if (!deferred.isEmpty() && !deferredTimerSet) {
            deferredTimerSet = true;
            loop.schedule(deferredFlush, flushPolicy.highIntervalNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void flushDeferred() {
        deferredTimerSet = false;
        long now = System.nanoTime();
        for (int i = 0; i < deferred.size(); i++) {
            BackendConnection c = deferred.get(i);
            c.deferred = false;
            c.flush(now);
        }
        deferred.clear();
    }

    ChannelFuture connect(String address, BackendConnection handler) {
        Optional<Addresses.HostPort> hp = Addresses.parse(address);
        if (hp.isEmpty()) {
            return null;
        }
        if (bootstrap == null) {
            bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            Math.max(100, TimeUnit.NANOSECONDS.toMillis(backendTimeoutNanos))))
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        }
        Bootstrap b = bootstrap.clone().handler(handler);
        return b.connect(hp.get().host(), hp.get().port());
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (BackendGroup g : groups) {
            if (g != null) {
                g.checkTimeouts(now);
            }
        }
        for (BackendGroup g : extraGroups.values()) {
            g.checkTimeouts(now);
        }
        for (BackendConnection c : new ArrayList<>(busyDedicated)) {
            c.checkTimeout(now);
        }
    }
}
