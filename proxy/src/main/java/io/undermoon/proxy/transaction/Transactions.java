// Over 400 lines: the Redis-exact replies of MULTI/EXEC/WATCH and the held connection's life cycle are one state machine.
package io.undermoon.proxy.transaction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.backend.BackendConnection;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.local.Authentication;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.route.CommandRouter;
import io.undermoon.proxy.route.Route;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import java.nio.charset.StandardCharsets;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH as a Redis Cluster node serves them. The proxy queues
 * the commands itself (answering QUEUED, or the error Redis Cluster gives: unknown command, wrong
 * arity, CROSSSLOT within a command, MOVED for another proxy's slot), and at EXEC sends
 * {@code MULTI, <queued commands>, EXEC} in one write on a connection held for the transaction to
 * the owner of the transaction's slot: a local Redis, or with active redirection the owning peer
 * proxy (which runs the transaction the same way). WATCH runs on that held connection at once,
 * and EXEC runs there later. Keys of several slots make EXEC answer CROSSSLOT; a slot being
 * migrated answers TRYAGAIN.
 */
public final class Transactions {
    private static final ByteBuf QUEUED = fixed("+QUEUED\r\n");
    private static final ByteBuf EXECABORT = fixed("-EXECABORT Transaction discarded because of previous errors.\r\n");
    private static final byte[] MULTI = "*1\r\n$5\r\nMULTI\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf UNWATCH = fixed("*1\r\n$7\r\nUNWATCH\r\n");
    /** Sent first on a connection held to a peer proxy: the peer then never relays the transaction again. */
    public static final ByteBuf UMPEER = fixed("*1\r\n$6\r\nUMPEER\r\n");
    /** Swallows the replies of MULTI and of the queued commands (EXEC's reply tells the outcome). */
    private static final ReplyTarget SINK = ByteBuf::release;

    private final ProxyContext proxy;
    private final Authentication auth;
    private final CommandRouter router;
    private final boolean activeRedirection;
    private final int maxCommands;
    private final long maxBytes;

    public Transactions(ProxyContext proxy, Authentication auth, CommandRouter router) {
        this.proxy = proxy;
        this.auth = auth;
        this.router = router;
        this.activeRedirection = proxy.config().activeRedirection();
        this.maxCommands = proxy.config().maxTransactionCommands();
        this.maxBytes = proxy.config().maxTransactionBytes();
    }

    private static ByteBuf fixed(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    private static Transaction of(ClientSession s) {
        return s.mode() instanceof Transaction t ? t : null;
    }

    /** MULTI, EXEC, DISCARD, WATCH, UNWATCH (not queued ones): called by the router. */
    public void handle(ClientSession s, Command c, CommandSpec spec) {
        Transaction tx = of(s);
        if (s.mode() != null && tx == null) {
            c.complete(Replies.error(s.channel().alloc(), "ERR " + spec.name() + " is not allowed in this state"));
            return;
        }
        switch (spec.name()) {
            case "UMPEER" -> {
                s.markFromPeer();
                c.complete(Replies.of(Replies.OK));
            }
            case "MULTI" -> {
                if (tx != null && tx.inMulti) {
                    c.complete(Replies.error(s.channel().alloc(), "ERR MULTI calls can not be nested"));
                    return;
                }
                CompressionStrategy cs = proxy.meta().table().config().compressionStrategy();
                if (cs != CompressionStrategy.DISABLED) { // queued values would reach Redis uncompressed, GETs undecoded
                    c.complete(Replies.error(s.channel().alloc(), "ERR MULTI is not supported by the undermoon proxy while the "
                            + "cluster's compression_strategy is " + cs.text() + " (use a Lua script or turn compression off)"));
                    return;
                }
                if (tx == null) {
                    tx = new Transaction(this);
                    s.setMode(tx);
                }
                tx.inMulti = true;
                c.complete(Replies.of(Replies.OK));
            }
            case "WATCH" -> {
                if (tx != null && tx.inMulti) {
                    c.complete(Replies.error(s.channel().alloc(), "ERR WATCH inside MULTI is not allowed"));
                    return;
                }
                int slot = router.slotOrReply(s, c, spec);
                if (slot < 0) {
                    return;
                }
                if (tx != null && tx.watchSlot != Transaction.NONE && tx.watchSlot != slot) {
                    c.complete(Replies.of(Replies.CROSSSLOT));
                    return;
                }
                deferUntilHead(s, c);
            }
            case "EXEC", "DISCARD" -> {
                if (tx == null || !tx.inMulti) {
                    c.complete(Replies.error(s.channel().alloc(), "ERR " + spec.name() + " without MULTI"));
                } else if (tx.watching() || spec.name().equals("EXEC") && needsBackend(tx)) {
                    deferUntilHead(s, c);
                } else {
                    c.complete(spec.name().equals("DISCARD") ? Replies.of(Replies.OK) : localExec(s, tx));
                    end(s, tx);
                }
            }
            case "UNWATCH" -> {
                if (tx == null || !tx.watching()) {
                    c.complete(Replies.of(Replies.OK));
                } else {
                    deferUntilHead(s, c);
                }
            }
            default -> throw new IllegalStateException(spec.name());
        }
    }

    private static boolean needsBackend(Transaction tx) {
        return !tx.dirty && !tx.crossSlot && tx.count > 0;
    }

    /** EXEC answered by the proxy: EXECABORT, CROSSSLOT, or an empty transaction. */
    private static ByteBuf localExec(ClientSession s, Transaction tx) {
        if (tx.dirty) {
            return EXECABORT.duplicate();
        }
        if (tx.crossSlot) {
            return Replies.of(Replies.CROSSSLOT);
        }
        return Replies.of(Replies.EMPTY_ARRAY);
    }

    /** Like a blocking command: sent once every earlier command is answered, and nothing later is read meanwhile. */
    private void deferUntilHead(ClientSession s, Command c) {
        if (s.runAloneWhenHead(c)) {
            deferred(s, c);
        }
    }

    /** The deferred part of WATCH, EXEC, DISCARD, UNWATCH: every command before it has been answered. */
    public void deferred(ClientSession s, Command c) {
        Transaction tx = of(s);
        String name = c.spec().name();
        if (name.equals("WATCH")) {
            watch(s, tx, c);
            return;
        }
        if (tx == null) {
            c.complete(name.equals("UNWATCH") || name.equals("DISCARD") ? Replies.of(Replies.OK) : EXECABORT.duplicate());
            return;
        }
        switch (name) {
            case "EXEC" -> exec(s, tx, c);
            case "DISCARD", "UNWATCH" -> {
                if (name.equals("DISCARD")) {
                    tx.clearQueue();
                }
                BackendConnection h = tx.held;
                tx.clearAll();
                s.setMode(null);
                if (h == null) {
                    c.complete(Replies.of(Replies.OK));
                } else {
                    c.release();
                    h.send(UNWATCH.duplicate(), new ReleaseAfter(c, h, s));
                }
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private void watch(ClientSession s, Transaction tx, Command c) {
        int slot = KeyFinder.slot(c, c.spec());
        Target t = resolve(s, slot);
        if (t.error != null) {
            c.complete(t.error);
            return;
        }
        if (tx == null) {
            tx = new Transaction(this);
            s.setMode(tx);
        }
        if (tx.held != null && (!tx.held.address().equals(t.address) || tx.heldLost)) {
            c.complete(Replies.error(s.channel().alloc(), tx.heldLost
                    ? "ERR_BACKEND_CONNECTION: the connection holding the earlier WATCH was lost; UNWATCH and retry"
                    : "TRYAGAIN the slot's owner changed since the earlier WATCH; UNWATCH and retry"));
            return;
        }
        if (tx.held == null) {
            tx.hold(acquire(s, t));
        }
        tx.watchSlot = slot;
        tx.held.send(c.detachRaw(), c);
    }

    private void exec(ClientSession s, Transaction tx, Command c) {
        ByteBuf error = null;
        if (tx.dirty || tx.crossSlot) {
            error = localExec(s, tx);
        } else if (tx.slot != Transaction.NONE && tx.watchSlot != Transaction.NONE && tx.slot != tx.watchSlot) {
            error = Replies.of(Replies.CROSSSLOT);
        } else if (tx.heldLost) {
            error = Replies.error(s.channel().alloc(),
                    "ERR_BACKEND_CONNECTION: the connection holding the WATCH was lost; transaction discarded");
        }
        Target t = error == null ? resolve(s, tx.targetSlot()) : null;
        if (t != null && t.error != null) {
            error = t.error;
        } else if (t != null && tx.held != null && !tx.held.address().equals(t.address)) {
            error = Replies.error(s.channel().alloc(), "TRYAGAIN the slot's owner changed since WATCH; transaction discarded");
        }
        if (error != null) {
            c.complete(error);
            end(s, tx);
            return;
        }
        BackendConnection conn = tx.held != null ? tx.held : acquire(s, t);
        int count = tx.count;
        ByteBuf body = tx.body;
        tx.body = null;
        tx.clearAll();
        s.setMode(null);
        if (count == 0) {
            conn.send(Unpooled.wrappedBuffer(MULTI), SINK);
        } else {
            conn.send(body, SINK); // MULTI and the queued commands
            for (int i = 0; i < count; i++) {
                conn.send(Unpooled.EMPTY_BUFFER, SINK);
            }
        }
        conn.send(c.detachRaw(), new ReleaseAfter(c, conn, s));
    }

    private static BackendConnection acquire(ClientSession s, Target t) {
        BackendConnection c = s.loop().acquireHeld(t.address, t.peer);
        if (t.peer) { // the client's AUTH (its cluster's password), and: never relay this further
            if (s.authPassword() != null) {
                c.send(io.undermoon.resp.RespWriter.command(s.channel().alloc(), "AUTH", s.authPassword()), SINK);
            }
            c.send(UMPEER.duplicate(), SINK);
        }
        return c;
    }

    /** Ends the transaction without running it; a held WATCH is undone before its connection goes back. */
    private static void end(ClientSession s, Transaction tx) {
        BackendConnection h = tx.held;
        tx.clearAll();
        s.setMode(null);
        if (h != null) {
            h.send(UNWATCH.duplicate(), SINK);
            s.loop().releaseHeld(h);
        }
    }

    /**
     * A command queued between MULTI and EXEC (the session's mode sees it first). Returns false for
     * what the router handles itself (MULTI, EXEC, DISCARD, WATCH, QUIT).
     */
    boolean queue(ClientSession s, Transaction tx, Command c, CommandSpec spec) {
        if (spec == null) {
            router.unknownCommand(s, c);
            tx.dirty = true;
            return true;
        }
        String name = spec.name();
        if ((spec.kind() == io.undermoon.proxy.command.CommandKind.TRANSACTION && !name.equals("UNWATCH"))
                || name.equals("QUIT")) {
            return false;
        }
        ByteBufAllocator alloc = s.channel().alloc();
        if (!auth.allows(s, spec)) {
            c.complete(auth.refusal(s, spec));
            tx.dirty = true;
            return true;
        }
        if (!spec.arityOk(c.argc())) {
            c.complete(Replies.error(alloc, "ERR wrong number of arguments for '" + spec.lowerName() + "' command"));
            tx.dirty = true;
            return true;
        }
        switch (spec.kind()) {
            case KEYED, BLOCKING -> {
                int slot = router.slotOrReply(s, c, spec);
                if (slot == -2) {
                    tx.dirty = true;
                    return true;
                }
                if (slot >= 0) {
                    RouteTable table = proxy.meta().table();
                    if ((!activeRedirection || s.fromPeer()) && table.hasCluster() && table.route(slot) instanceof Route.Peer p) {
                        s.loop().stats().moved++;
                        c.complete(Replies.moved(alloc, slot, p.proxyAddress()));
                        tx.dirty = true;
                        return true;
                    }
                    tx.addSlot(slot);
                }
            }
            case ANY_MASTER, FANOUT_FIRST, FANOUT_SUM, FANOUT_CONCAT, TRANSACTION -> { }
            case LOCAL -> {
                if (!name.equals("PING") && !name.equals("ECHO")) {
                    return refuse(s, tx, c, "ERR " + name + " cannot be queued in a transaction by the undermoon proxy");
                }
            }
            case UNSUPPORTED -> {
                return refuse(s, tx, c, spec.message());
            }
            default -> {
                return refuse(s, tx, c, "ERR " + name + " inside MULTI is not supported by the undermoon proxy");
            }
        }
        if (!tx.dirty) {
            ByteBuf raw = c.raw();
            int len = raw.readableBytes();
            long size = tx.body == null ? MULTI.length : tx.body.readableBytes();
            if (tx.count >= maxCommands || size + len > maxBytes) {
                tx.clearQueue();
                tx.inMulti = true;
                tx.dirty = true;
                c.complete(Replies.error(alloc, "ERR transaction too large for the undermoon proxy: at most "
                        + maxCommands + " commands and " + maxBytes + " bytes may be queued (max_transaction_commands,"
                        + " max_transaction_bytes); EXEC will discard it"));
                return true;
            }
            if (tx.body == null) {
                tx.body = alloc.buffer(MULTI.length + len);
                tx.body.writeBytes(MULTI);
            }
            tx.body.writeBytes(raw, raw.readerIndex(), len);
            tx.count++;
        }
        c.complete(QUEUED.duplicate());
        return true;
    }

    private static boolean refuse(ClientSession s, Transaction tx, Command c, String message) {
        c.complete(Replies.error(s.channel().alloc(), message));
        tx.dirty = true;
        return true;
    }

    private record Target(String address, boolean peer, ByteBuf error) {
        static Target error(ByteBuf e) { return new Target(null, false, e); }
    }

    /** Where a transaction of {@code slot} (NONE: no key) runs, or the error that says why it cannot. */
    private Target resolve(ClientSession s, int slot) {
        RouteTable t = proxy.meta().table();
        if (!t.hasCluster()) {
            return Target.error(Replies.of(Replies.CLUSTER_NOT_FOUND));
        }
        if (slot == Transaction.NONE) {
            return t.locals().isEmpty() ? Target.error(Replies.of(Replies.CLUSTER_NOT_FOUND))
                    : new Target(t.locals().get(0).address(), false, null);
        }
        Route r = t.route(slot);
        if (r instanceof Route.Local l) {
            return l.backend().awaitingPromotion() ? Target.error(Replies.of(Replies.TRYAGAIN_PROMOTION))
                    : new Target(l.backend().address(), false, null);
        }
        if (r instanceof Route.Peer p) {
            if (activeRedirection && !s.fromPeer()) {
                return new Target(p.proxyAddress(), true, null);
            }
            s.loop().stats().moved++;
            return Target.error(Replies.moved(s.channel().alloc(), slot, p.proxyAddress()));
        }
        if (r == null) {
            return Target.error(Replies.of(Replies.CLUSTERDOWN));
        }
        return Target.error(Replies.error(s.channel().alloc(),
                "TRYAGAIN slot " + slot + " is being migrated; retry the transaction when the migration is done"));
    }

    /** The client's reply; then the held connection goes back to the pool (its Redis state is clean again). */
    private record ReleaseAfter(Command command, BackendConnection conn, ClientSession session) implements ReplyTarget {
        @Override
        public void complete(ByteBuf reply) {
            session.loop().releaseHeld(conn);
            command.complete(reply);
        }

        @Override
        public boolean isCancelled() {
            return command.isCancelled();
        }
    }
}
