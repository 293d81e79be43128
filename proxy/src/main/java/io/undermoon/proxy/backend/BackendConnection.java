package io.undermoon.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.undermoon.proxy.backend.Cumulator;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.reply.SlowTrace;
import io.undermoon.resp.ReplyFramer;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipelined connection to a Redis (or peer proxy), living on one event loop. Commands are
 * written as the client sent them and matched to replies in FIFO order; replies are framed, not
 * decoded, and handed over as retained slices.
 *
 * <p>Failure rules: a command is never re-sent after a reconnect (it may have run). When the
 * connection drops, every unanswered command gets {@code ERR_BACKEND_CONNECTION}; a failed connect
 * makes new commands fail fast until the next attempt after a short back-off; a backend that
 * stops answering for {@code backend_timeout} is disconnected and its commands fail.
 * Everything here runs on the owning event loop, so nothing is locked.
 */
@ChannelHandler.Sharable // re-added to each new channel after a reconnect; in one pipeline at a time
public final class BackendConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnection.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum State { IDLE, CONNECTING, CONNECTED, BROKEN, CLOSED }

    private final LoopResources loop;
    private final String address;
    private final boolean dedicated;
    private final ArrayDeque<ReplyTarget> inFlight = new ArrayDeque<>();
    /** sampled commands written since the last flush (slow log), and the one the next send carries. */
    private final java.util.ArrayList<SlowTrace> unflushedTraces = new java.util.ArrayList<>(0);
    private final java.util.ArrayList<SlowTrace> waitingTraces = new java.util.ArrayList<>(0);
    private SlowTrace nextTrace;
    private final ArrayDeque<ByteBuf> waitingPayloads = new ArrayDeque<>();
    private final ArrayDeque<ReplyTarget> waitingTargets = new ArrayDeque<>();
    private final ReplyFramer framer = new ReplyFramer(RespLimits.DEFAULT);
    /** Requests written since the last flush, gathered into one buffer. */
    private final OutputBatch out = new OutputBatch();

    private State state = State.IDLE;
    private Channel channel;
    private ByteBuf cumulation;
    private long retryAtNanos;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private long lastProgressNanos;
    /** 0 means "never time out" (a blocking command without timeout). */
    private long timeoutNanos;
    private boolean retireWhenIdle;
    /** sent first on every new connection (AUTH to peer proxies), its reply checked and dropped. */
    private ByteBuf initCommand;
    boolean dirty;
    /** Held by one client between commands (a transaction): not returned to the idle pool when idle. */
    boolean held;
    /** Run when a held connection loses its socket (the Redis-side state it carried is gone). */
    private Runnable onLost;
    /** Waiting for the fixed flush policy's timer ({@link LoopResources}). */
    boolean deferred;
    private long unflushedBytes;
    private long lastFlushNanos;

    BackendConnection(LoopResources loop, String address, boolean dedicated, long timeoutNanos) {
        this.loop = loop;
        this.address = address;
        this.dedicated = dedicated;
        this.timeoutNanos = timeoutNanos;
    }

    public String address() {
        return address;
    }

    public boolean isDedicated() {
        return dedicated;
    }

    public int inFlightCount() {
        return inFlight.size() + waitingTargets.size();
    }

    void setInitCommand(ByteBuf initCommand) {
        this.initCommand = initCommand;
    }

    void setTimeoutNanos(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** The next {@link #send} is a command sampled for the slow log: its write and flush times go to {@code t}. */
    public void traceNext(SlowTrace t) {
        nextTrace = t;
    }

    /** Sends one command. Takes ownership of {@code payload}; {@code target} always gets exactly one reply. */
    public void send(ByteBuf payload, ReplyTarget target) {
        SlowTrace trace = nextTrace;
        nextTrace = null;
        switch (state) {
            case CONNECTED -> {
                if (inFlight.isEmpty()) {
                    lastProgressNanos = System.nanoTime();
                }
                inFlight.add(target);
                unflushedBytes += payload.readableBytes();
                out.add(channel, payload);
                if (!deferred) {
                    loop.markDirty(this);
                } else if (unflushedBytes >= loop.flushSizeThreshold()) {
                    loop.markDirty(this); // large enough now: flushed at the end of this iteration
                }
                if (trace != null) {
                    trace.mark(SlowTrace.QUEUE_RECEIVED);
                    unflushedTraces.add(trace);
                }
            }
            case CONNECTING -> {
                waitingPayloads.add(payload);
                waitingTargets.add(target);
            }
            case IDLE -> {
                waitingPayloads.add(payload);
                waitingTargets.add(target);
                connect();
            }
            case BROKEN -> {
                if (System.nanoTime() - retryAtNanos < 0) {
                    payload.release();
                    target.complete(Replies.error(loop.alloc(), "ERR_BACKEND_CONNECTION: " + address
                            + " (cannot connect; retrying shortly)"));
                } else {
                    waitingPayloads.add(payload);
                    waitingTargets.add(target);
                    connect();
                }
            }
            case CLOSED -> {
                payload.release();
                target.complete(Replies.error(loop.alloc(), "ERR_BACKEND_CONNECTION: " + address
                        + " (no longer a backend of this proxy)"));
            }
            default -> throw new IllegalStateException();
        }
        if (trace != null && state != State.CONNECTED && !waitingPayloads.isEmpty()) {
            waitingTraces.add(trace);
        }
    }

    /** Writes pending bytes to the socket; called once per event-loop iteration. */
    void flush() {
        dirty = false;
        unflushedBytes = 0;
        if (!unflushedTraces.isEmpty()) {
            long now = System.nanoTime();
            unflushedTraces.forEach(t -> t.mark(SlowTrace.SENT_TO_BACKEND, now));
            unflushedTraces.clear();
        }
        Channel c = channel;
        if (c != null && state == State.CONNECTED) {
            out.writePending(c);
            c.flush();
        } else {
            out.discard();
        }
    }

    /** {@link #flush()}, remembering when (the fixed flush policy). */
    void flush(long now) {
        lastFlushNanos = now;
        flush();
    }

    long unflushedBytes() {
        return unflushedBytes;
    }

    long lastFlushNanos() {
        return lastFlushNanos;
    }

    private void connect() {
        state = State.CONNECTING;
        ChannelFuture f = loop.connect(address, this);
        if (f == null) {
            connectFailed("invalid address");
            return;
        }
        f.addListener((ChannelFuture done) -> {
            if (state != State.CONNECTING) {
                if (done.isSuccess()) {
                    done.channel().close();
                }
                return;
            }
            if (done.isSuccess()) {
                channel = done.channel();
                state = State.CONNECTED;
                backoffNanos = MIN_BACKOFF_NANOS;
                lastProgressNanos = System.nanoTime();
                if (initCommand != null) {
                    inFlight.add(new InitReply(address));
                    channel.write(initCommand.duplicate(), channel.voidPromise());
                }
                while (!waitingPayloads.isEmpty()) {
                    inFlight.add(waitingTargets.poll());
                    channel.write(waitingPayloads.poll(), channel.voidPromise());
                }
                waitingTraces.forEach(t -> t.mark(SlowTrace.QUEUE_RECEIVED));
                unflushedTraces.addAll(waitingTraces);
                waitingTraces.clear();
                loop.markDirty(this);
            } else {
                Throwable cause = done.cause();
                connectFailed(cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
        });
    }

    private void connectFailed(String reason) {
        state = State.BROKEN;
        retryAtNanos = System.nanoTime() + backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        LOG.warn("cannot connect to backend {}: {}", address, reason);
        failWaiting("ERR_BACKEND_CONNECTION: " + address + " (" + reason + ")");
    }

    private void failWaiting(String error) {
        waitingTraces.clear();
        while (!waitingPayloads.isEmpty()) {
            waitingPayloads.poll().release();
            waitingTargets.poll().complete(Replies.error(loop.alloc(), error));
        }
    }

    private void failInFlight(String error) {
        ReplyTarget t;
        while ((t = inFlight.poll()) != null) {
            t.complete(Replies.error(loop.alloc(), error));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        cumulation = Cumulator.append(ctx.alloc(), cumulation, (ByteBuf) msg);
        try {
            int len;
            boolean first = true;
            while ((len = framer.frame(cumulation)) > 0) {
                if (first) {
                    first = false;
                    lastProgressNanos = System.nanoTime(); // a reply arrived: read the clock once per read, not per reply
                }
                ByteBuf reply = cumulation.retainedSlice(cumulation.readerIndex(), len);
                cumulation.skipBytes(len);
                ReplyTarget target = inFlight.poll();
                if (target == null) {
                    reply.release();
                    LOG.error("backend {} sent a reply nobody asked for; closing the connection", address);
                    ctx.close();
                    return;
                }
                target.complete(reply);
            }
        } catch (RespProtocolException e) {
            LOG.error("backend {} sent an invalid reply ({}); closing the connection", address, e.getMessage());
            ctx.close();
            return;
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
        }
        if (inFlight.isEmpty()) {
            if (retireWhenIdle) {
                close();
            } else if (dedicated && !held) {
                loop.releaseDedicated(this);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() != channel) {
            return;
        }
        channel = null;
        out.discard();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        framer.reset();
        boolean wasClosed = state == State.CLOSED;
        state = wasClosed ? State.CLOSED : State.IDLE;
        if (!inFlight.isEmpty()) {
            LOG.warn("connection to backend {} lost with {} commands unanswered", address, inFlight.size());
            failInFlight("ERR_BACKEND_CONNECTION: " + address + " (connection lost; the command may have been executed)");
        }
        if (dedicated) {
            loop.forgetDedicated(this);
        }
        lost();
    }

    /** Called when the connection's socket is gone, once per held period. */
    public void onLost(Runnable r) {
        this.onLost = r;
    }

    private void lost() {
        Runnable r = onLost;
        if (r != null) {
            onLost = null;
            r.run();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("backend {} connection error: {}", address, cause.toString());
        ctx.close();
    }

    /** Fails and disconnects when unanswered commands have waited longer than the timeout. */
    void checkTimeout(long now) {
        if (timeoutNanos > 0 && state == State.CONNECTED && !inFlight.isEmpty() && now - lastProgressNanos > timeoutNanos) {
            LOG.warn("backend {} did not answer for {} ms; failing {} commands and reconnecting", address,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos), inFlight.size());
            failInFlight("ERR_BACKEND_TIMEOUT: " + address + " did not reply within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            Channel c = channel;
            channel = null;
            state = State.IDLE;
            out.discard();
            if (cumulation != null) {
                cumulation.release();
                cumulation = null;
            }
            framer.reset();
            if (c != null) {
                c.close();
            }
            lost();
        }
    }

    /** Closes now if nothing is in flight, otherwise once the last reply arrived. */
    void retire() {
        if (inFlight.isEmpty() && waitingTargets.isEmpty()) {
            close();
        } else {
            retireWhenIdle = true;
        }
    }

    /** Closes the connection; unanswered commands fail. */
    void close() {
        state = State.CLOSED;
        failWaiting("ERR_BACKEND_CONNECTION: " + address + " (no longer a backend of this proxy)");
        Channel c = channel;
        if (c != null) {
            c.close();
        } else {
            failInFlight("ERR_BACKEND_CONNECTION: " + address + " (closed)");
        }
    }

    /** Closes a dedicated connection whose client went away (Redis then unblocks the command). */
    public void closeForCancelledCommand() {
        close();
    }

    /** Drops the reply of the connection's init command, logging it when it is an error. */
    private record InitReply(String address) implements ReplyTarget {
        @Override
        public void complete(ByteBuf reply) {
            try {
                if (reply.isReadable() && reply.getByte(reply.readerIndex()) == '-') {
                    LOG.error("peer {} refused our AUTH: {}", address,
                            reply.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
                }
            } finally {
                reply.release();
            }
        }
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }
}
