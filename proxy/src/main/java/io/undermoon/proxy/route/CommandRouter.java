package io.undermoon.proxy.route;

import io.netty.buffer.ByteBuf;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.SlowLogText;
import io.undermoon.proxy.backend.BackendConnection;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.CommandTable;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.compress.ValueCompression;
import io.undermoon.proxy.local.Authentication;
import io.undermoon.proxy.local.LocalCommands;
import io.undermoon.proxy.migration.Importer;
import io.undermoon.proxy.migration.MigratingTask;
import io.undermoon.proxy.migration.MigrationStats;
import io.undermoon.proxy.reply.FanOut;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.reply.SlowTrace;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.session.CommandDispatcher;
import io.undermoon.proxy.wide.WholeCluster;
import io.undermoon.proxy.session.SessionMode;
import io.undermoon.proxy.transaction.Transactions;
import io.undermoon.proxy.pubsub.PubSub;
import java.util.List;

/**
 * Decides what happens to each command: answered by the proxy ({@link LocalCommands}), forwarded to
 * a local Redis, redirected with MOVED (or forwarded to the owner, {@link ActiveRedirection}), run
 * on a connection of its own ({@link BlockingCommands}) or refused. The hot path (a keyed command
 * for a local slot) is a table lookup, a CRC16, an array read and a buffer handover.
 */
public final class CommandRouter implements CommandDispatcher {
    private final ProxyContext proxy;
    private final CommandTable table = CommandTable.get();
    private final LocalCommands local;
    private final Authentication auth;
    private final BlockingCommands blocking = new BlockingCommands(this);
    private final ActiveRedirection redirection;
    private final String defaultRedirection;
    private final boolean activeRedirection;
    private final CommandSpec umforward;
    private final CommandSpec info;
    private final MigrationStats migrationStats;
    private final WholeCluster wide;
    private final ValueCompression compression;
    private final Transactions transactions;
    private final PubSub pubsub;
    private final CommandSpec umpubsub;

    public CommandRouter(ProxyContext proxy, LocalCommands local, MigrationStats migrationStats) {
        this.proxy = proxy;
        this.migrationStats = migrationStats;
        this.local = local;
        this.auth = local.authentication();
        this.redirection = new ActiveRedirection(this, proxy.config().maxRedirections());
        this.defaultRedirection = proxy.config().defaultRedirectionAddress();
        this.activeRedirection = proxy.config().activeRedirection();
        this.umforward = table.lookup("UMFORWARD");
        this.info = table.lookup("INFO");
        this.wide = new WholeCluster(proxy.config(), this::route);
        this.compression = new ValueCompression(proxy.config().requestLimits().maxBulkLength());
        this.umpubsub = table.lookup("UMPUBSUB");
        this.transactions = new Transactions(proxy, auth, this);
        this.pubsub = new PubSub(proxy, this);
    }

    @Override
    public void dispatch(ClientSession s, Command c) {
        CommandSpec spec = table.lookup(c.raw(), c.argOffset(0), c.argLength(0));
        SessionMode mode = s.mode();
        if (mode != null && mode.intercept(s, c, spec)) {
            return;
        }
        if (spec == null) {
            unknownCommand(s, c);
            return;
        }
        c.setSpec(spec);
        if (s.sampleForSlowLog()) {
            c.sampleForSlowLog(System.nanoTime(), SlowLogText.of(c));
        }
        if (!auth.allows(s, spec)) {
            c.complete(auth.refusal(s, spec));
            return;
        }
        if (!spec.arityOk(c.argc())) {
            wrongArity(s, c, spec);
            return;
        }
        switch (spec.kind()) {
            case KEYED -> {
                if (spec.streams() && BlockingCommands.hasBlockOption(c)) {
                    blocking.start(s, c, spec);
                } else {
                    keyed(s, c, spec);
                }
            }
            case BLOCKING -> blocking.start(s, c, spec);
            case LOCAL -> {
                if (spec == umforward) {
                    redirection.umforward(s, c);
                } else if (spec == umpubsub) {
                    pubsub.umpubsub(s, c);
                } else if (spec != info || !wide.info(s, c, proxy.meta().table(), true, local::info)) {
                    local.handle(s, c, spec);
                }
            }
            case FANOUT_FIRST, FANOUT_SUM, FANOUT_CONCAT, ANY_MASTER -> keyless(s, c, spec, true);
            case TRANSACTION -> transactions.handle(s, c, spec);
            case PUBSUB -> pubsub.handle(s, c, spec);
            case UNSUPPORTED -> c.complete(Replies.error(s.channel().alloc(), spec.message()));
            default -> throw new IllegalStateException(spec.kind().toString());
        }
    }

    /** A data command carried by UMFORWARD from a peer proxy (already unwrapped, its spec set). */
    void dispatchForwarded(ClientSession s, Command c, CommandSpec spec) {
        if (!spec.arityOk(c.argc())) {
            wrongArity(s, c, spec);
            return;
        }
        switch (spec.kind()) {
            case KEYED -> keyed(s, c, spec);
            case BLOCKING -> blocking.start(s, c, spec);
            case FANOUT_FIRST, FANOUT_SUM, FANOUT_CONCAT, ANY_MASTER -> keyless(s, c, spec, false);
            case LOCAL -> {
                if (spec != info || !wide.info(s, c, proxy.meta().table(), false, local::info)) {
                    c.complete(Replies.error(s.channel().alloc(), "ERR UMFORWARD can only carry data commands"));
                }
            }
            default -> c.complete(Replies.error(s.channel().alloc(), "ERR UMFORWARD can only carry data commands"));
        }
    }

    /** Keyless commands: whole-cluster or every-master handling first ({@link WholeCluster}). */
    private void keyless(ClientSession s, Command c, CommandSpec spec, boolean fromClient) {
        if (wide.keyless(s, c, spec, proxy.meta().table(), fromClient)) {
            return;
        }
        if (spec.kind() == CommandKind.ANY_MASTER) {
            anyMaster(s, c);
        } else {
            fanOut(s, c, spec.kind());
        }
    }

    @Override
    public void dispatchDeferred(ClientSession s, Command c) {
        switch (c.spec().kind()) {
            case TRANSACTION -> transactions.deferred(s, c);
            case PUBSUB -> pubsub.deferred(s, c);
            default -> blocking.send(s, c);
        }
    }

    CommandSpec lookup(Command c) {
        return table.lookup(c.raw(), c.argOffset(0), c.argLength(0));
    }

    private static void wrongArity(ClientSession s, Command c, CommandSpec spec) {
        c.complete(Replies.error(s.channel().alloc(), "ERR wrong number of arguments for '" + spec.lowerName() + "' command"));
    }

    public void unknownCommand(ClientSession s, Command c) {
        StringBuilder sb = new StringBuilder("ERR unknown command '");
        sb.append(truncate(c.argString(0))).append("', with args beginning with:");
        for (int i = 1; i < c.argc() && i < 4; i++) {
            sb.append(" '").append(truncate(c.argString(i))).append('\'');
        }
        c.complete(Replies.error(s.channel().alloc(), sb.toString()));
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** Computes the slot, or answers the command with the reason it has none. Returns -2 when answered. */
    public int slotOrReply(ClientSession s, Command c, CommandSpec spec) {
        int slot = KeyFinder.slot(c, spec);
        if (slot >= 0) {
            return slot;
        }
        switch (slot) {
            case KeyFinder.CROSS_SLOT -> {
                if (!wide.crossSlot(s, c, spec, proxy.meta().table())) {
                    c.complete(Replies.of(Replies.CROSSSLOT));
                }
            }
            case KeyFinder.BAD_NUMKEYS -> c.complete(Replies.error(s.channel().alloc(),
                    "ERR numkeys should be a non-negative integer"));
            case KeyFinder.TOO_MANY_NUMKEYS -> c.complete(Replies.error(s.channel().alloc(),
                    "ERR Number of keys can't be greater than number of args"));
            case KeyFinder.BAD_STREAMS -> c.complete(Replies.error(s.channel().alloc(),
                    "ERR Unbalanced '" + spec.lowerName() + "' list of streams: for each stream key an ID or '$' must be specified."));
            default -> {
                return KeyFinder.NO_KEY;
            }
        }
        return -2;
    }

    private void keyed(ClientSession s, Command c, CommandSpec spec) {
        int slot = slotOrReply(s, c, spec);
        if (slot == -2) {
            return;
        }
        if (slot == KeyFinder.NO_KEY) {
            if (spec.numkeysIndex() > 0) {
                anyMaster(s, c); // EVAL/FCALL with no key runs on one of our masters
            } else {
                c.complete(Replies.of(Replies.NO_KEY));
            }
            return;
        }
        route(s, c, proxy.meta().table(), slot);
    }

    /** Sends the command where the route table says its slot lives. */
    void route(ClientSession s, Command c, RouteTable t, int slot) {
        if (!t.hasCluster()) {
            noCluster(s, c, slot);
            return;
        }
        Route r = t.route(slot);
        CompressionStrategy cs = t.config().compressionStrategy();
        if (cs != CompressionStrategy.DISABLED && !compression.check(c, cs, s.channel().alloc())) {
            return; // refused by the cluster's compression_strategy
        }
        SlowTrace trace = c.trace();
        if (trace != null) {
            trace.mark(SlowTrace.SENT_TO_CLUSTER);
            if (r instanceof Route.Migrating || r instanceof Route.Importing) {
                trace.mark(SlowTrace.SENT_TO_MIGRATION_BACKEND);
            }
        }
        if (r instanceof Route.Local l) {
            forwardLocal(s, c, l.backend(), c);
        } else if (r instanceof Route.Peer p) {
            redirect(s, c, slot, p.proxyAddress());
        } else if (r instanceof Route.Migrating m) {
            migrating(s, c, slot, m);
        } else if (r instanceof Route.Importing i) {
            switch (i.task().state()) {
                case PRE_CHECK -> redirect(s, c, slot, i.task().meta().srcProxyAddress());
                case SWITCH_COMMITTED -> forwardLocal(s, c, i.backend(), c);
                default -> {
                    if (c.replyFilter() == ValueCompression.PENDING && !compression.prepare(c, s.channel().alloc())) {
                        return;
                    }
                    new Importer(c, i.task(), s.loop(), s.id(), i.backend(), migrationStats,
                            () -> forwardLocal(s, c, i.backend(), c)).start();
                }
            }
        } else {
            c.complete(Replies.of(Replies.CLUSTERDOWN));
        }
    }

    /** A slot being migrated away: served here, held during the switch, or sent to the importing proxy. */
    private void migrating(ClientSession s, Command c, int slot, Route.Migrating m) {
        MigratingTask task = m.task();
        if (task.serveLocally()) {
            if (!forwardLocal(s, c, m.backend(), new Tracked(c, task))) {
                task.done();
            }
        } else if (!task.isHolding() || !task.hold(() -> s.loop().eventLoop().execute(() -> reroute(s, c)))) {
            redirect(s, c, slot, task.meta().dstProxyAddress());
        }
    }

    /** Routes a command held during a migration switch again, on the session's own event loop. */
    private void reroute(ClientSession s, Command c) {
        if (c.isCancelled()) {
            return;
        }
        if (c.isBlocking()) {
            blocking.send(s, c);
        } else {
            keyed(s, c, c.spec());
        }
    }

    /** Reply target that counts the command as in flight on a migrating range until it is answered. */
    private record Tracked(Command command, MigratingTask task) implements ReplyTarget {
        @Override
        public void complete(ByteBuf reply) {
            task.done();
            command.complete(reply);
        }

        @Override
        public boolean isCancelled() {
            return command.isCancelled();
        }
    }

    /** MOVED, or with active redirection, a forward to the owner. */
    private void redirect(ClientSession s, Command c, int slot, String address) {
        if (activeRedirection) {
            redirection.forward(s, c, address);
        } else {
            s.loop().stats().moved++;
            c.complete(Replies.moved(s.channel().alloc(), slot, address));
        }
    }

    private void noCluster(ClientSession s, Command c, int slot) {
        if (!defaultRedirection.isEmpty()) {
            c.complete(Replies.moved(s.channel().alloc(), slot, defaultRedirection));
        } else {
            c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
        }
    }

    /** Forwards to a local Redis unless it awaits promotion (then TRYAGAIN); false when not sent. */
    boolean forwardLocal(ClientSession s, Command c, LocalBackend backend, ReplyTarget target) {
        if (backend.awaitingPromotion()) {
            c.complete(Replies.of(Replies.TRYAGAIN_PROMOTION));
            return false;
        }
        if (c.replyFilter() == ValueCompression.PENDING && !compression.prepare(c, s.channel().alloc())) {
            return false; // compression failed, answered
        }
        s.loop().stats().forwarded++;
        if (c.isBlocking()) {
            BackendConnection conn = s.loop().acquireDedicated(backend.address(), c.blockTimeoutMillis());
            s.setBlockedOn(conn);
            conn.send(c.detachRaw(), target);
            return true;
        }
        BackendConnection conn = s.loop().group(backend).connection(s.id());
        SlowTrace trace = c.trace();
        if (trace != null) {
            trace.mark(SlowTrace.SENT_TO_QUEUE);
            conn.traceNext(trace);
        }
        conn.send(c.detachRaw(), target);
        return true;
    }

    // ---- keyless server commands ----------------------------------------------------------

    private void anyMaster(ClientSession s, Command c) {
        RouteTable t = proxy.meta().table();
        List<LocalBackend> locals = t.locals();
        if (!t.hasCluster() || locals.isEmpty()) {
            c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        forwardLocal(s, c, locals.get(0), c);
    }

    private void fanOut(ClientSession s, Command c, CommandKind kind) {
        RouteTable t = proxy.meta().table();
        List<LocalBackend> locals = t.locals();
        if (!t.hasCluster() || locals.isEmpty()) {
            c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        FanOut agg = new FanOut(c, kind, locals.size(), s.channel().alloc());
        ByteBuf raw = c.detachRaw();
        for (int i = 0; i < locals.size(); i++) {
            ByteBuf payload = i == locals.size() - 1 ? raw : raw.retainedDuplicate();
            s.loop().group(locals.get(i)).connection(s.id()).send(payload, agg.part(i));
        }
    }

    RouteTable table() {
        return proxy.meta().table();
    }
}
