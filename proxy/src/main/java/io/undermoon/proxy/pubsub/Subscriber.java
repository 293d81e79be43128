package io.undermoon.proxy.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.undermoon.model.SlotHash;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.session.SessionMode;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session in subscribed state: its links (one per Redis or peer proxy it subscribed through),
 * the (un)subscribe command waiting for its confirmations, and a once-a-second check that each
 * link still goes where the channel lives (else the client is disconnected, so it resubscribes).
 */
final class Subscriber implements SessionMode {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);

    private final PubSub owner;
    private final ClientSession session;
    private final Map<String, Link> links = new LinkedHashMap<>();
    /** The link of the classic channels and patterns: this proxy's first local Redis. */
    private Link classic;
    private Command pending;
    private int pendingFrames;
    private final ScheduledFuture<?> check;
    private boolean closed;

    Subscriber(PubSub owner, ClientSession session) {
        this.owner = owner;
        this.session = session;
        this.check = session.loop().eventLoop().scheduleAtFixedRate(this::checkOwners, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public boolean exemptFromIdleTimeout() {
        return true; // like Redis's timeout, which never closes a subscriber
    }

    @Override
    public boolean intercept(ClientSession s, Command c, CommandSpec spec) {
        if (spec == null) {
            owner.router().unknownCommand(s, c);
            return true;
        }
        if (!spec.arityOk(c.argc())) {
            return false; // the router answers wrong arity
        }
        switch (spec.name()) {
            case "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "QUIT" -> {
                return false;
            }
            case "PING" -> {
                ByteBuf out = RespWriter.arrayHeader(s.channel().alloc().buffer(), 2);
                RespWriter.bulk(out, "pong");
                RespWriter.bulk(out, c.argc() > 1 ? c.argBytes(1) : new byte[0]);
                c.complete(out);
            }
            case "RESET" -> {
                sessionClosed(s);
                s.setMode(null);
                c.complete(Replies.simple(s.channel().alloc(), "RESET"));
            }
            default -> c.complete(Replies.error(s.channel().alloc(), "ERR Can't execute '" + spec.lowerName()
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
        }
        return true;
    }

    /** Runs a (un)subscribe command, now the oldest unanswered one; later input waits for its confirmations. */
    void send(Command c) {
        String name = c.spec().name();
        RouteTable t = owner.table();
        int n = c.argc() - 1;
        switch (name) {
            case "SUBSCRIBE", "PSUBSCRIBE" -> {
                if (classic == null) {
                    String home = owner.home(t);
                    if (home == null) {
                        finish(c, Replies.of(Replies.CLUSTER_NOT_FOUND));
                        return;
                    }
                    classic = link(home, false);
                }
                start(c, List.of(classic), List.of(n));
            }
            case "UNSUBSCRIBE", "PUNSUBSCRIBE" -> {
                if (classic == null) {
                    finish(c, PubSub.notSubscribed(session, c));
                    return;
                }
                int expected = n > 0 ? n : Math.max(1, (name.equals("UNSUBSCRIBE") ? classic.channels : classic.patterns).size());
                start(c, List.of(classic), List.of(expected));
            }
            case "SSUBSCRIBE" -> {
                int slot = KeyFinder.slot(c, c.spec());
                PubSub.Owner o = owner.shardOwner(session, t, slot);
                if (o.error() != null) {
                    finish(c, o.error());
                    return;
                }
                start(c, List.of(link(o.address(), o.peer())), List.of(n));
            }
            default -> { // SUNSUBSCRIBE
                List<Link> targets = new ArrayList<>();
                List<Integer> counts = new ArrayList<>();
                for (Link l : links.values()) {
                    if (n > 0 ? l.shards.contains(c.argString(1)) : !l.shards.isEmpty()) {
                        targets.add(l);
                        counts.add(n > 0 ? n : l.shards.size());
                    }
                }
                if (targets.isEmpty()) {
                    finish(c, PubSub.notSubscribed(session, c));
                    return;
                }
                start(c, targets, counts);
            }
        }
    }

    private void start(Command c, List<Link> targets, List<Integer> counts) {
        pending = c;
        pendingFrames = 0;
        ByteBuf raw = c.detachRaw();
        for (int i = 0; i < targets.size(); i++) {
            pendingFrames += counts.get(i);
            targets.get(i).send(i == targets.size() - 1 ? raw : raw.retainedDuplicate(), counts.get(i));
        }
    }

    private void finish(Command c, ByteBuf reply) {
        c.complete(reply);
        maybeLeave();
    }

    private Link link(String address, boolean peer) {
        Link l = links.get(address);
        if (l == null) {
            l = new Link(this, address, peer);
            links.put(address, l);
            l.connect(session.channel(), peer ? owner.peerAuth(session) : null);
        }
        return l;
    }

    /** A frame from a link, to the client as it is; a client that does not read is disconnected at the limit. */
    void relay(ByteBuf frame) {
        Channel ch = session.channel();
        if (closed || !ch.isActive()) {
            frame.release();
            return;
        }
        session.writePendingReplies(); // after the replies written before it
        ch.write(frame, ch.voidPromise());
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out != null && out.totalPendingWriteBytes() > owner.outputLimit()) {
            LOG.warn("subscriber session {} does not read its messages: over pubsub_output_buffer_limit ({} bytes); closing it",
                    session.id(), owner.outputLimit());
            lose();
        }
    }

    void flushClient() {
        if (!closed) {
            session.channel().flush();
        }
    }

    /** {@code n} confirmations (or the error replacing them) of the pending command arrived. */
    void confirmed(int n) {
        pendingFrames -= n;
        if (pending != null && pendingFrames <= 0) {
            Command c = pending;
            pending = null;
            finish(c, Unpooled.EMPTY_BUFFER);
        }
    }

    void linkLost(Link l, String reason) {
        if (!closed) {
            LOG.info("subscriber session {}: {}; closing it so that the client resubscribes", session.id(), reason);
            lose();
        }
    }

    private void lose() {
        sessionClosed(session);
        session.closeNow();
    }

    /** Leaves subscribed state when nothing is subscribed any more and no command waits. */
    private void maybeLeave() {
        if (pending != null || closed) {
            return;
        }
        for (Link l : links.values()) {
            if (l.holdsAny()) {
                return;
            }
        }
        sessionClosed(session);
        if (session.mode() == this) {
            session.setMode(null);
        }
    }

    /** Disconnects the client when a link no longer goes where its channels live (failover, migration, new metadata). */
    private void checkOwners() {
        if (closed) {
            return;
        }
        RouteTable t = owner.table();
        if (classic != null && (!classic.channels.isEmpty() || !classic.patterns.isEmpty())
                && !classic.address.equals(owner.home(t))) {
            linkLost(classic, "this proxy's pub/sub Redis changed from " + classic.address + " to " + owner.home(t));
            return;
        }
        for (Link l : links.values()) {
            for (String ch : l.shards) {
                int slot = SlotHash.slot(ch.getBytes(StandardCharsets.UTF_8));
                PubSub.Owner o = owner.shardOwner(session, t, slot);
                if (o.error() != null || !l.address.equals(o.address())) {
                    if (o.error() != null) {
                        o.error().release();
                    }
                    linkLost(l, "the owner of shard channel " + ch + " (slot " + slot + ") changed");
                    return;
                }
            }
        }
    }

    @Override
    public void sessionClosed(ClientSession s) {
        if (closed) {
            return;
        }
        closed = true;
        check.cancel(false);
        for (Link l : links.values()) {
            l.close();
        }
        links.clear();
        classic = null;
        Command c = pending;
        pending = null;
        if (c != null && !c.isCancelled()) {
            c.complete(Unpooled.EMPTY_BUFFER);
        }
    }
}
