// Over 400 lines: the session life cycle, ordering and back-pressure belong together.
package io.undermoon.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.backend.BackendConnection;
import io.undermoon.proxy.backend.Cumulator;
import io.undermoon.proxy.backend.LoopResources;
import io.undermoon.proxy.backend.OutputBatch;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.resp.RequestDecoder;
import io.undermoon.resp.RespProtocolException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Decodes requests without copying, hands each to the {@link CommandDispatcher},
 * and writes replies strictly in request order, flushing once per event-loop iteration.
 *
 * <p>Back-pressure: the session stops reading from its socket while it has
 * {@code max_pending_commands} unanswered commands, while the client does not read its replies
 * (channel not writable), and while a blocking command is in progress. It resumes as soon as the
 * condition clears. Everything runs on the connection's event loop, without locks.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter implements LoopResources.Flushable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    /** How long a closing session keeps draining input after its last reply, waiting for the client to close. */
    static final long LINGER_MILLIS = 2000;

    private final ProxyContext proxy;
    private final LoopResources loop;
    private final CommandDispatcher router;
    private final long id;
    private final int maxPending;
    private final RequestDecoder<Command> decoder;
    private final ArrayDeque<Command> queue = new ArrayDeque<>();
    /** Replies written since the last flush, gathered into one buffer (see {@link OutputBatch}). */
    private final OutputBatch out = new OutputBatch();

    private Channel channel;
    private ByteBuf cumulation;
    private boolean processing;
    private boolean closing;
    private boolean closed;
    private boolean flushPending;
    /** A blocking command waiting for earlier replies, or in progress on a dedicated connection. */
    private Command blocked;
    private BackendConnection blockedOn;
    private boolean authenticated;
    /** The password the last successful AUTH (or HELLO AUTH) gave, or null. */
    private String authPassword;
    private long sinceLastSample;
    private String clientName;
    /** The client is a peer proxy relaying a transaction or subscription (UMPEER): never relayed further. */
    private boolean fromPeer;
    /** A transaction or subscription in progress, or null. */
    private SessionMode mode;

    public ClientSession(ProxyContext proxy, LoopResources loop, CommandDispatcher router) {
        this.proxy = proxy;
        this.loop = loop;
        this.router = router;
        this.id = proxy.nextSessionId();
        this.maxPending = proxy.config().maxPendingCommands();
        this.decoder = new RequestDecoder<>(proxy.config().requestLimits(), Command::new);
        this.authenticated = proxy.config().password().isEmpty();
    }

    public long id() {
        return id;
    }

    public LoopResources loop() {
        return loop;
    }

    public ProxyContext proxy() {
        return proxy;
    }

    public Channel channel() {
        return channel;
    }

    /** One command in slowlog_sample_rate is timed; counted per session to keep threads apart. */
    public boolean sampleForSlowLog() {
        if (++sinceLastSample >= proxy.slowLog().sampleRate()) {
            sinceLastSample = 0;
            return true;
        }
        return false;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** The password the session authenticated with (compared with its cluster's password), or null. */
    public String authPassword() {
        return authPassword;
    }

    public void setAuthPassword(String password) {
        this.authPassword = password;
    }

    public String clientName() {
        return clientName;
    }

    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    public boolean fromPeer() {
        return fromPeer;
    }

    public void markFromPeer() {
        this.fromPeer = true;
    }

    public SessionMode mode() {
        return mode;
    }

    public void setMode(SessionMode mode) {
        this.mode = mode;
    }

    /** Closes the client connection now (a subscriber over its output limit, or whose channel's owner changed). */
    public void closeNow() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        proxy.stats().connectedClients.incrementAndGet();
        proxy.stats().totalConnections.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closing || closed) {
            in.release();
            return;
        }
        cumulation = Cumulator.append(ctx.alloc(), cumulation, in);
        processInput();
    }

    /** Decodes and dispatches as many commands as the limits allow. */
    private void processInput() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (canAcceptMore() && cumulation != null) {
                Command cmd;
                try {
                    cmd = decoder.decode(cumulation);
                } catch (RespProtocolException e) {
                    protocolError(e.getMessage());
                    break;
                }
                if (cmd == null) {
                    break;
                }
                cmd.session = this;
                queue.addLast(cmd);
                loop.stats().commands++;
                router.dispatch(this, cmd);
            }
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
            drainReplies();
        } finally {
            processing = false;
        }
        updateReading();
    }

    /** A command of this session got its reply. */
    void onCommandDone(Command cmd) {
        if (cmd == queue.peekFirst()) {
            drainReplies();
            if (!processing && cumulation != null && canAcceptMore()) {
                processInput();
            } else if (!processing) {
                updateReading();
            }
        }
    }

    /** False while the limits hold input back: too many unanswered commands, a blocked command, or a client that does not read. */
    private boolean canAcceptMore() {
        return !closing && blocked == null && queue.size() < maxPending && channel.isWritable();
    }

    /** Writes every reply that is next in order. */
    private void drainReplies() {
        boolean wrote = false;
        Command head;
        while ((head = queue.peekFirst()) != null) {
            if (head.reply == null) {
                if (head == blocked && head.deferred) {
                    head.deferred = false;
                    router.dispatchDeferred(this, head);
                    if (head.reply == null) {
                        break;
                    }
                } else {
                    break;
                }
            }
            queue.pollFirst();
            ByteBuf reply = head.reply;
            head.reply = null;
            head.session = null;
            if (head.trace != null) {
                proxy.slowLog().record(id, head.trace, System.nanoTime());
            }
            if (head == blocked) {
                blocked = null;
                blockedOn = null;
            }
            head.release();
            out.add(channel, reply);
            wrote = true;
        }
        if (wrote && !flushPending) {
            flushPending = true;
            loop.markDirty(this);
        }
        if (closing && queue.isEmpty() && !closed) {
            closed = true;
            out.writePending(channel);
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> closeGracefully());
        }
    }

    /**
     * Ends a session after its last reply (QUIT, a protocol error) without losing that reply: closing a
     * socket that still has unread input makes the kernel reset the connection and drop whatever was
     * written but not yet sent. So: send FIN after the replies, read and discard whatever the client
     * still sends, and close when it closes its side or after {@link #LINGER_MILLIS}.
     */
    private void closeGracefully() {
        if (!channel.isActive()) {
            return;
        }
        if (!(channel instanceof DuplexChannel duplex)) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true);
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
                return;
            }
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void flushNow() {
        flushPending = false;
        if (channel.isActive()) {
            out.writePending(channel);
            channel.flush();
        } else {
            out.discard();
        }
    }

    /**
     * Hands the replies gathered since the last flush to the channel, for a caller that writes to the
     * client's channel itself (a subscriber's messages) and must keep them after the replies.
     */
    public void writePendingReplies() {
        if (channel != null) {
            out.writePending(channel);
        }
    }

    /** Marks a blocking command: later commands wait until it is answered. */
    public void setBlocked(Command cmd, boolean deferred) {
        blocked = cmd;
        cmd.deferred = deferred;
    }

    /** The dedicated connection a blocking command runs on: closed if the client goes away. */
    public void setBlockedOn(BackendConnection c) {
        blockedOn = c;
    }

    /** True when {@code cmd} is the oldest unanswered command. */
    public boolean isHead(Command cmd) {
        return queue.peekFirst() == cmd;
    }

    /**
     * For a command that must run alone (blocking, EXEC, WATCH, (un)subscribe): nothing after it is
     * read until it is answered. True when every earlier command is answered and it may run now;
     * false when it waits, to be handed to {@code CommandDispatcher.dispatchDeferred} at its turn.
     */
    public boolean runAloneWhenHead(Command cmd) {
        boolean head = isHead(cmd);
        setBlocked(cmd, !head);
        return head;
    }

    /** Answer the remaining commands, then close (QUIT). */
    public void closeAfterReplies() {
        closing = true;
    }

    private void protocolError(String message) {
        proxy.stats().protocolErrors.increment();
        LOG.debug("session {}: protocol error: {}", id, message);
        Command err = new Command();
        err.session = this;
        queue.addLast(err);
        err.reply = Replies.error(channel.alloc(), "ERR Protocol error: " + message);
        closing = true;
        decoder.reset();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    private void updateReading() {
        if (closed || channel == null) {
            return;
        }
        boolean read = canAcceptMore();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && cumulation != null && canAcceptMore()) {
            processInput();
        } else {
            updateReading();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && queue.isEmpty() && (mode == null || !mode.exemptFromIdleTimeout())) {
            LOG.debug("session {} idle longer than session_timeout; closing", id);
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        out.discard();
        proxy.stats().connectedClients.decrementAndGet();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        decoder.reset();
        Command c;
        while ((c = queue.pollFirst()) != null) {
            c.cancel();
        }
        if (blockedOn != null) {
            blockedOn.closeForCancelledCommand();
            blockedOn = null;
        }
        blocked = null;
        SessionMode m = mode;
        if (m != null) {
            mode = null;
            m.sessionClosed(this);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("session {} error: {}", id, cause.toString());
        ctx.close();
    }
}
