package io.undermoon.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.resp.RespWriter;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.backend.BackendConnection;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.CommandTable;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.migration.Importer;
import io.undermoon.proxy.migration.MigratingTask;
import io.undermoon.proxy.migration.MigrationStats;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.route.Route;
import io.undermoon.proxy.route.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides what happens to each command: answered locally, forwarded to a local Redis, redirected
 * with MOVED, or refused. The hot path (a keyed command for a local slot) is a table lookup, a
 * CRC16, an array read and a buffer handover.
 */
public final class CommandRouter {
    private static final byte[] BLOCK = "BLOCK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAMS = "STREAMS".getBytes(StandardCharsets.US_ASCII);

    private final ProxyContext proxy;
    private final CommandTable table = CommandTable.get();
    private final LocalCommands local;
    private final String defaultRedirection;
    private final boolean activeRedirection;
    private final int maxRedirections;
    private final CommandSpec umforward;

    private final MigrationStats migrationStats;

    public CommandRouter(ProxyContext proxy, LocalCommands local, MigrationStats migrationStats) {
        this.proxy = proxy;
        this.migrationStats = migrationStats;
        this.local = local;
        this.defaultRedirection = proxy.config().defaultRedirectionAddress();
        this.activeRedirection = proxy.config().activeRedirection();
        this.maxRedirections = proxy.config().maxRedirections();
        this.umforward = table.lookup("UMFORWARD");
    }

    public void dispatch(ClientSession s, Command c) {
        CommandSpec spec = table.lookup(c.raw(), c.argOffset(0), c.argLength(0));
        if (spec == null) {
            unknownCommand(s, c);
            return;
        }
        c.spec = spec;
        if (s.sampleForSlowLog()) {
            c.startNanos = System.nanoTime();
            c.slowlogText = SlowLogText.of(c);
        }
        if (!s.isAuthenticated() && !authExempt(spec)) {
            reply(c, Replies.of(Replies.NOAUTH));
            return;
        }
        if (spec.kind() != CommandKind.LOCAL && spec.kind() != CommandKind.UNSUPPORTED && !clusterAuthOk(s)) {
            reply(c, Replies.error(s.channel().alloc(), CLUSTER_NOAUTH));
            return;
        }
        if (!spec.arityOk(c.argc())) {
            reply(c, Replies.error(s.channel().alloc(), "ERR wrong number of arguments for '" + spec.lowerName() + "' command"));
            return;
        }
        switch (spec.kind()) {
            case KEYED -> {
                if (spec.streams() && hasBlockOption(c)) {
                    blocking(s, c, spec);
                } else {
                    keyed(s, c, spec);
                }
            }
            case BLOCKING -> blocking(s, c, spec);
            case LOCAL -> {
                if (spec == umforward) {
                    umforward(s, c);
                } else {
                    local.handle(s, c, spec);
                }
            }
            case FANOUT_FIRST, FANOUT_SUM, FANOUT_CONCAT -> fanOut(s, c, spec.kind());
            case ANY_MASTER -> anyMaster(s, c);
            case UNSUPPORTED -> reply(c, Replies.error(s.channel().alloc(), spec.message()));
            default -> throw new IllegalStateException(spec.kind().toString());
        }
    }

    static final String CLUSTER_NOAUTH =
            "NOAUTH Authentication required: this proxy's cluster has a password (AUTH <cluster password>)";

    /**
     * Whether the session may run data commands on the proxy's current cluster: always when the
     * cluster has no password, else only after an AUTH with that very password. Checked on every
     * data command, so a session authenticated for a cluster its proxy has since left (a shared pool
     * hands proxies from cluster to cluster) is refused rather than served the new cluster's data.
     */
    private boolean clusterAuthOk(ClientSession s) {
        String required = proxy.meta().table().config().password();
        if (required.isEmpty()) {
            return true;
        }
        String given = s.authPassword();
        if (given == required) {
            return true;
        }
        if (required.equals(given)) {
            s.setAuthPassword(required); // the table's instance: next time a reference compare
            return true;
        }
        return false;
    }

    private static boolean authExempt(CommandSpec spec) {
        String n = spec.name();
        return n.equals("AUTH") || n.equals("HELLO") || n.equals("QUIT");
    }

    private void unknownCommand(ClientSession s, Command c) {
        StringBuilder sb = new StringBuilder("ERR unknown command '");
        sb.append(truncate(c.argString(0))).append("', with args beginning with:");
        for (int i = 1; i < c.argc() && i < 4; i++) {
            sb.append(" '").append(truncate(c.argString(i))).append('\'');
        }
        reply(c, Replies.error(s.channel().alloc(), sb.toString()));
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    static void reply(Command c, ByteBuf reply) {
        c.complete(reply);
    }

    /** Computes the slot, or answers the command with the reason it has none. Returns -1 when answered. */
    private int slotOrReply(ClientSession s, Command c, CommandSpec spec) {
        int slot = KeyFinder.slot(c, spec);
        if (slot >= 0) {
            return slot;
        }
        switch (slot) {
            case KeyFinder.CROSS_SLOT -> reply(c, Replies.of(Replies.CROSSSLOT));
            case KeyFinder.BAD_NUMKEYS -> reply(c, Replies.error(s.channel().alloc(),
                    "ERR numkeys should be a non-negative integer"));
            case KeyFinder.TOO_MANY_NUMKEYS -> reply(c, Replies.error(s.channel().alloc(),
                    "ERR Number of keys can't be greater than number of args"));
            case KeyFinder.BAD_STREAMS -> reply(c, Replies.error(s.channel().alloc(),
                    "ERR Unbalanced '" + spec.lowerName() + "' list of streams: for each stream key an ID or '$' must be specified."));
            default -> {
                return KeyFinder.NO_KEY;
            }
        }
        return -2;
    }

    void keyed(ClientSession s, Command c, CommandSpec spec) {
        int slot = slotOrReply(s, c, spec);
        if (slot == -2) {
            return;
        }
        RouteTable t = proxy.meta().table();
        if (slot == KeyFinder.NO_KEY) {
            if (spec.numkeysIndex() > 0) {
                anyMaster(s, c); // EVAL/FCALL with no key runs on one of our masters
            } else {
                reply(c, Replies.of(Replies.NO_KEY));
            }
            return;
        }
        route(s, c, t, slot);
    }

    private void route(ClientSession s, Command c, RouteTable t, int slot) {
        if (!t.hasCluster()) {
            noCluster(s, c, slot);
            return;
        }
        Route r = t.route(slot);
        if (r instanceof Route.Local l) {
            forwardLocal(s, c, l.backend());
        } else if (r instanceof Route.Peer p) {
            redirect(s, c, slot, p.proxyAddress());
        } else if (r instanceof Route.Migrating m) {
            MigratingTask task = m.task();
            if (task.serveLocally()) {
                if (!forwardLocal(s, c, m.backend(), new Tracked(c, task))) {
                    task.done();
                }
            } else if (!task.hold(c)) {
                redirect(s, c, slot, task.meta().dstProxyAddress());
            }
        } else if (r instanceof Route.Importing i) {
            switch (i.task().state()) {
                case PRE_CHECK -> redirect(s, c, slot, i.task().meta().srcProxyAddress());
                case SWITCH_COMMITTED -> forwardLocal(s, c, i.backend());
                default -> new Importer(c, i.task(), s.loop(), s.id(), i.backend(), migrationStats,
                        () -> forwardLocal(s, c, i.backend())).start();
            }
        } else {
            reply(c, Replies.of(Replies.CLUSTERDOWN));
        }
    }

    /** MOVED, or with active redirection, a forward to the owner. */
    private void redirect(ClientSession s, Command c, int slot, String address) {
        if (activeRedirection) {
            forwardToPeer(s, c, address);
        } else {
            s.loop().stats().moved++;
            reply(c, Replies.moved(s.channel().alloc(), slot, address));
        }
    }

    /** Re-routes a command held during a migration switch (on the session's own event loop). */
    public void reroute(ClientSession s, Command c) {
        if (c.isCancelled()) {
            return;
        }
        if (c.blocking) {
            dispatchBlocking(s, c);
        } else {
            keyed(s, c, c.spec);
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

    private void noCluster(ClientSession s, Command c, int slot) {
        if (!defaultRedirection.isEmpty()) {
            reply(c, Replies.moved(s.channel().alloc(), slot, defaultRedirection));
        } else {
            reply(c, Replies.of(Replies.CLUSTER_NOT_FOUND));
        }
    }

    private void forward(ClientSession s, Command c, LocalBackend backend) {
        s.loop().stats().forwarded++;
        BackendConnection conn = s.loop().group(backend).connection(s.id());
        conn.send(c.detachRaw(), c);
    }

    private boolean forwardLocal(ClientSession s, Command c, LocalBackend backend) {
        return forwardLocal(s, c, backend, c);
    }

    /** Forwards to a local Redis unless it awaits promotion (then TRYAGAIN); false when not sent. */
    private boolean forwardLocal(ClientSession s, Command c, LocalBackend backend, ReplyTarget target) {
        if (backend.awaitingPromotion()) {
            reply(c, Replies.of(Replies.TRYAGAIN_PROMOTION));
            return false;
        }
        if (c.blocking) {
            s.loop().stats().forwarded++;
            BackendConnection conn = s.loop().acquireDedicated(backend.address(), c.blockTimeoutMillis);
            s.setBlockedOn(conn);
            conn.send(c.detachRaw(), target);
            return true;
        }
        s.loop().stats().forwarded++;
        s.loop().group(backend).connection(s.id()).send(c.detachRaw(), target);
        return true;
    }

    // ---- active redirection ---------------------------------------------------------------

    /**
     * Sends the command to the peer that owns its slot and relays the reply. With a hop limit the
     * command travels as {@code UMFORWARD <hops left> <command...>}; without one, unwrapped.
     */
    private void forwardToPeer(ClientSession s, Command c, String peer) {
        int times = c.redirectTimes >= 0 ? c.redirectTimes : (maxRedirections == 0 ? -1 : maxRedirections - 1);
        if (times == 0) {
            reply(c, Replies.error(s.channel().alloc(), "ERR_TOO_MANY_REDIRECTIONS"));
            return;
        }
        s.loop().stats().forwarded++;
        int argc = c.argc();
        ByteBuf raw = c.detachRaw();
        ByteBuf payload;
        if (times < 0) {
            payload = raw;
        } else {
            ByteBuf header = s.channel().alloc().buffer(32);
            RespWriter.arrayHeader(header, argc + 2);
            RespWriter.bulk(header, "UMFORWARD");
            RespWriter.bulk(header, Integer.toString(times - 1));
            int bodyStart = raw.indexOf(raw.readerIndex(), raw.writerIndex(), (byte) '\n') + 1;
            CompositeByteBuf composite = s.channel().alloc().compositeBuffer(2);
            composite.addComponent(true, header);
            composite.addComponent(true, raw.retainedSlice(bodyStart, raw.writerIndex() - bodyStart));
            raw.release();
            payload = composite;
        }
        s.loop().groupFor(peer).connection(s.id()).send(payload, c);
    }

    /** {@code UMFORWARD <n> <command...>} from a peer proxy: run the inner data command with n hops left. */
    private void umforward(ClientSession s, Command c) {
        long n = c.argLong(1);
        if (n < 0) {
            reply(c, Replies.error(s.channel().alloc(), "invalid redirection times"));
            return;
        }
        c.unwrap(2, s.channel().alloc());
        c.redirectTimes = (int) Math.min(n, ProxyConfig.MAX_REDIRECTIONS_LIMIT);
        CommandSpec spec = table.lookup(c.raw(), c.argOffset(0), c.argLength(0));
        if (spec == null) {
            unknownCommand(s, c);
            return;
        }
        c.spec = spec;
        if (!spec.arityOk(c.argc())) {
            reply(c, Replies.error(s.channel().alloc(), "ERR wrong number of arguments for '" + spec.lowerName() + "' command"));
            return;
        }
        switch (spec.kind()) {
            case KEYED -> keyed(s, c, spec);
            case BLOCKING -> blocking(s, c, spec);
            case FANOUT_FIRST, FANOUT_SUM, FANOUT_CONCAT -> fanOut(s, c, spec.kind());
            case ANY_MASTER -> anyMaster(s, c);
            default -> reply(c, Replies.error(s.channel().alloc(), "ERR UMFORWARD can only carry data commands"));
        }
    }

    // ---- blocking commands ----------------------------------------------------------------

    private static boolean hasBlockOption(Command c) {
        for (int i = 1; i < c.argc(); i++) {
            if (c.argEqualsIgnoreCase(i, STREAMS)) {
                return false;
            }
            if (c.argEqualsIgnoreCase(i, BLOCK)) {
                return true;
            }
        }
        return false;
    }

    private void blocking(ClientSession s, Command c, CommandSpec spec) {
        long timeout = blockTimeoutMillis(c, spec);
        if (timeout < 0) {
            reply(c, Replies.error(s.channel().alloc(), timeout == -1 ? "ERR timeout is not a float or out of range"
                    : "ERR timeout is negative"));
            return;
        }
        int slot = slotOrReply(s, c, spec);
        if (slot == -2) {
            return;
        }
        if (slot == KeyFinder.NO_KEY) {
            reply(c, Replies.of(Replies.NO_KEY));
            return;
        }
        c.blockTimeoutMillis = timeout;
        c.blocking = true;
        // a blocked client sends nothing else: later commands wait, earlier ones finish first
        if (s.isHead(c)) {
            s.setBlocked(c, false);
            dispatchBlocking(s, c);
        } else {
            s.setBlocked(c, true);
        }
    }

    /** Sends a blocking command on a connection of its own, once it is the oldest unanswered command. */
    void dispatchBlocking(ClientSession s, Command c) {
        int slot = KeyFinder.slot(c, c.spec);
        RouteTable t = proxy.meta().table();
        Route r = t.hasCluster() ? t.route(slot) : null;
        if (r instanceof Route.Migrating m) {
            // a blocked command must not hold up the switch: it is not counted as in flight
            if (m.task().serveLocally()) {
                m.task().done();
                forwardLocal(s, c, m.backend());
                return;
            }
        }
        route(s, c, t, slot);
    }

    /** The command's timeout in ms (0 = forever), -1 when not a number, -2 when negative. */
    private static long blockTimeoutMillis(Command c, CommandSpec spec) {
        String name = spec.name();
        if (spec.streams()) {
            for (int i = 1; i + 1 < c.argc(); i++) {
                if (c.argEqualsIgnoreCase(i, BLOCK)) {
                    long ms = c.argLong(i + 1);
                    return ms == Long.MIN_VALUE ? -1 : ms < 0 ? -2 : ms;
                }
            }
            return 0;
        }
        int idx = name.equals("BLMPOP") || name.equals("BZMPOP") ? 1 : c.argc() - 1;
        double seconds;
        try {
            seconds = Double.parseDouble(c.argString(idx));
        } catch (NumberFormatException e) {
            return -1;
        }
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return -1;
        }
        if (seconds < 0) {
            return -2;
        }
        return (long) Math.ceil(seconds * 1000);
    }

    // ---- keyless server commands ----------------------------------------------------------

    private void anyMaster(ClientSession s, Command c) {
        RouteTable t = proxy.meta().table();
        List<LocalBackend> locals = t.locals();
        if (!t.hasCluster() || locals.isEmpty()) {
            reply(c, Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        forwardLocal(s, c, locals.get(0));
    }

    private void fanOut(ClientSession s, Command c, CommandKind kind) {
        RouteTable t = proxy.meta().table();
        List<LocalBackend> locals = t.locals();
        if (!t.hasCluster() || locals.isEmpty()) {
            reply(c, Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        FanOut agg = new FanOut(c, kind, locals.size(), s.channel().alloc());
        ByteBuf raw = c.detachRaw();
        for (int i = 0; i < locals.size(); i++) {
            ByteBuf payload = i == locals.size() - 1 ? raw : raw.retainedDuplicate();
            s.loop().group(locals.get(i)).connection(s.id()).send(payload, agg.part(i));
        }
    }
}
