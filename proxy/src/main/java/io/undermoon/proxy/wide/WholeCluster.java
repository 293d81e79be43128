package io.undermoon.proxy.wide;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.FanOut;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The router's hooks for commands that see more than one Redis: cross-slot MGET/MSET/DEL/EXISTS/
 * UNLINK/TOUCH split by owner (proxy mode), SCAN over every local master (both modes) or the whole
 * cluster (proxy mode), and KEYS, DBSIZE, RANDOMKEY, FLUSHALL, FLUSHDB, SCRIPT, FUNCTION over the
 * whole cluster (proxy mode). A proxy-mode command goes to peer proxies as {@code UMFORWARD 0 ...},
 * which a peer runs on its own masters only: nothing is forwarded twice.
 */
public final class WholeCluster {
    private final ProxyConfig config;
    private final PartRouter router;
    private final boolean proxyMode;
    private final int partHops;

    public WholeCluster(ProxyConfig config, PartRouter router) {
        this.config = config;
        this.router = router;
        this.proxyMode = config.activeRedirection();
        int max = config.maxRedirections();
        this.partHops = max == 0 ? ProxyConfig.MAX_REDIRECTIONS_LIMIT : max;
    }

    /**
     * A command whose keys span slots: split in proxy mode (MSETNX refused). False when the caller
     * should answer CROSSSLOT.
     */
    public boolean crossSlot(ClientSession s, Command c, CommandSpec spec, RouteTable t) {
        if (!proxyMode) {
            return false;
        }
        int hops = c.redirectTimes() >= 0 ? c.redirectTimes() : partHops;
        return SplitCommand.start(s, c, spec, t, router, hops, config.requestLimits());
    }

    /**
     * INFO in proxy mode (and INFO from a peer's proxy-mode INFO): the keyspace section covers the
     * whole cluster (a peer's part: its own masters). False when the proxy's own INFO applies.
     */
    public boolean info(ClientSession s, Command c, RouteTable t, boolean fromClient, java.util.function.Supplier<String> ownInfo) {
        String section = c.argc() > 1 ? c.argString(1).toLowerCase(java.util.Locale.ROOT) : "";
        boolean keyspaceOnly = section.equals("keyspace");
        if (!proxyMode || !t.hasCluster() || c.argc() > 2 || !(keyspaceOnly || section.isEmpty()
                || section.equals("all") || section.equals("everything") || section.equals("default"))) {
            return false;
        }
        List<LocalBackend> locals = t.locals();
        List<String> peers = new ArrayList<>();
        if (fromClient) {
            peers.addAll(t.peer().keySet());
            peers.remove(config.announceAddress());
        }
        int n = locals.size() + peers.size();
        if (n == 0) {
            return false;
        }
        String own = keyspaceOnly ? "" : ownInfo.get() + "\r\n";
        ReplyTarget[] parts = Keyspace.collect(n, s.channel().alloc(), c, ks -> own + ks);
        ByteBuf raw = c.detachRaw();
        raw.release();
        ByteBufAllocator alloc = s.channel().alloc();
        for (int i = 0; i < locals.size(); i++) {
            s.loop().group(locals.get(i)).connection(s.id()).send(io.undermoon.resp.RespWriter.command(alloc, "INFO", "keyspace"), parts[i]);
        }
        for (int j = 0; j < peers.size(); j++) {
            s.loop().groupFor(peers.get(j)).connection(s.id()).send(
                    io.undermoon.resp.RespWriter.command(alloc, "UMFORWARD", "0", "INFO", "keyspace"), parts[locals.size() + j]);
        }
        return true;
    }

    /**
     * A keyless command (kinds ANY_MASTER and FANOUT_*). {@code fromClient} is false for a command a
     * peer forwarded. False when the router's usual handling applies.
     */
    public boolean keyless(ClientSession s, Command c, CommandSpec spec, RouteTable t, boolean fromClient) {
        String name = spec.name();
        boolean wide = proxyMode && fromClient;
        if (name.equals("SCAN")) {
            if (!t.hasCluster()) {
                c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
            } else if (wide) {
                ClusterScan.cluster(s, c, t, config.announceAddress());
            } else {
                ClusterScan.local(s, c, t);
            }
            return true;
        }
        if (name.equals("COMMAND") && t.hasCluster() && !t.locals().isEmpty()) {
            ServedCommands.handle(s, c, t.locals().get(0));
            return true;
        }
        if (name.equals("RANDOMKEY")) {
            return t.hasCluster() && randomKey(s, c, t, wide);
        }
        if (!wide || !t.hasCluster() || spec.kind() == io.undermoon.proxy.command.CommandKind.ANY_MASTER) {
            return false;
        }
        List<LocalBackend> locals = t.locals();
        List<String> peers = new ArrayList<>(t.peer().keySet());
        peers.remove(config.announceAddress());
        int parts = locals.size() + peers.size();
        if (parts == 0) {
            return false;
        }
        FanOut agg = new FanOut(c, spec.kind(), parts, s.channel().alloc());
        send(s, c, locals, peers, i -> agg.part(i));
        return true;
    }

    private interface Targets {
        ReplyTarget part(int i);
    }

    /** Sends the command to every local master and, as UMFORWARD 0, to every peer proxy. */
    private static void send(ClientSession s, Command c, List<LocalBackend> locals, List<String> peers, Targets targets) {
        ByteBufAllocator alloc = s.channel().alloc();
        int argc = c.argc();
        ByteBuf raw = c.detachRaw();
        try {
            for (int i = 0; i < locals.size(); i++) {
                s.loop().group(locals.get(i)).connection(s.id()).send(raw.retainedDuplicate(), targets.part(i));
            }
            for (int j = 0; j < peers.size(); j++) {
                s.loop().groupFor(peers.get(j)).connection(s.id())
                        .send(Parts.forwardedNoHop(alloc, raw, argc), targets.part(locals.size() + j));
            }
        } finally {
            raw.release();
        }
    }

    /** RANDOMKEY: asks every master (of this proxy, or of the cluster) and picks one of the keys returned. */
    private boolean randomKey(ClientSession s, Command c, RouteTable t, boolean wide) {
        List<LocalBackend> locals = t.locals();
        List<String> peers = new ArrayList<>();
        if (wide) {
            peers.addAll(t.peer().keySet());
            peers.remove(config.announceAddress());
        }
        int n = locals.size() + peers.size();
        if (n == 0) {
            return false;
        }
        ByteBuf[] replies = new ByteBuf[n];
        int[] missing = {n};
        send(s, c, locals, peers, i -> new ReplyTarget() {
            @Override
            public void complete(ByteBuf reply) {
                replies[i] = reply;
                if (--missing[0] == 0) {
                    c.complete(pick(replies));
                }
            }

            @Override
            public boolean isCancelled() {
                return c.isCancelled();
            }
        });
        return true;
    }

    private static ByteBuf pick(ByteBuf[] replies) {
        ByteBuf chosen = null;
        int found = 0;
        for (ByteBuf r : replies) {
            if (Parts.isError(r)) {
                chosen = r;
                break;
            }
            if (r.getByte(r.readerIndex()) == '$' && r.getByte(r.readerIndex() + 1) != '-'
                    && ThreadLocalRandom.current().nextInt(++found) == 0) {
                chosen = r; // reservoir sampling: each returned key is equally likely
            }
        }
        ByteBuf result = chosen == null ? Replies.of(Replies.NIL) : chosen.retain();
        for (ByteBuf r : replies) {
            r.release();
        }
        return result;
    }
}
