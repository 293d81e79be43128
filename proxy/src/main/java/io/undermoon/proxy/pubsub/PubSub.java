package io.undermoon.proxy.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.FanOut;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.route.CommandRouter;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.route.Route;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;
import java.util.List;
import java.util.Locale;

/**
 * Pub/sub over the proxies of one cluster. A subscriber subscribes on a connection of its own to
 * its proxy's first local Redis (classic channels and patterns) or to the owner of the channel's
 * slot (sharded channels). PUBLISH goes to this proxy's first local Redis and, as
 * {@code UMPUBSUB PUBLISH channel message}, to every peer proxy of the cluster, which publishes on
 * its own first local Redis; the reply is the sum of the receivers. PUBSUB CHANNELS/NUMSUB/NUMPAT
 * (and the SHARD forms over every local Redis) are merged the same way. See docs/proxy.md.
 */
public final class PubSub {
    /** Where a sharded channel lives: an address (a local Redis, or with active redirection a peer proxy), or why not. */
    record Owner(String address, boolean peer, ByteBuf error) {}

    private final ProxyContext proxy;
    private final CommandRouter router;
    private final boolean activeRedirection;
    private final long outputLimit;

    public PubSub(ProxyContext proxy, CommandRouter router) {
        this.proxy = proxy;
        this.router = router;
        this.activeRedirection = proxy.config().activeRedirection();
        this.outputLimit = proxy.config().pubsubOutputBufferLimit();
    }

    CommandRouter router() {
        return router;
    }

    RouteTable table() {
        return proxy.meta().table();
    }

    long outputLimit() {
        return outputLimit;
    }

    /** The Redis classic subscriptions of this proxy live on: its first local master. */
    String home(RouteTable t) {
        return t.hasCluster() && !t.locals().isEmpty() ? t.locals().get(0).address() : null;
    }

    Owner shardOwner(ClientSession s, RouteTable t, int slot) {
        if (!t.hasCluster()) {
            return new Owner(null, false, Replies.of(Replies.CLUSTER_NOT_FOUND));
        }
        Route r = t.route(slot);
        if (r instanceof Route.Local l) {
            return new Owner(l.backend().address(), false, null);
        }
        if (r instanceof Route.Peer p) {
            if (activeRedirection && !s.fromPeer()) {
                return new Owner(p.proxyAddress(), true, null);
            }
            return new Owner(null, false, Replies.moved(s.channel().alloc(), slot, p.proxyAddress()));
        }
        if (r == null) {
            return new Owner(null, false, Replies.of(Replies.CLUSTERDOWN));
        }
        return new Owner(null, false, Replies.error(s.channel().alloc(),
                "TRYAGAIN slot " + slot + " is being migrated; subscribe again when the migration is done"));
    }

    /** What a link to a peer proxy sends first: the client's own AUTH (its cluster's password), else the proxy's. */
    ByteBuf peerAuth(ClientSession s) {
        if (s.authPassword() != null) {
            return RespWriter.command(s.channel().alloc(), "AUTH", s.authPassword());
        }
        ByteBuf auth = s.loop().peerAuth();
        return auth == null ? null : auth.retainedDuplicate();
    }

    /** SUBSCRIBE & co., PUBLISH and PUBSUB (the router has checked arity and authentication). */
    public void handle(ClientSession s, Command c, CommandSpec spec) {
        String name = spec.name();
        switch (name) {
            case "PUBLISH" -> publish(s, c);
            case "PUBSUB" -> pubsub(s, c, false);
            default -> {
                if (s.mode() != null && !(s.mode() instanceof Subscriber)) {
                    c.complete(Replies.error(s.channel().alloc(), "ERR " + name
                            + " inside a transaction or while WATCHing is not supported by the undermoon proxy"));
                    return;
                }
                if (spec.firstKey() > 0 && c.argc() > 1 && router.slotOrReply(s, c, spec) == -2) {
                    return; // CROSSSLOT
                }
                if (name.endsWith("UNSUBSCRIBE") && s.mode() == null) {
                    c.complete(notSubscribed(s, c));
                    return;
                }
                if (s.runAloneWhenHead(c)) {
                    deferred(s, c);
                }
            }
        }
    }

    /** A (un)subscribe command whose turn has come. */
    public void deferred(ClientSession s, Command c) {
        Subscriber sub;
        if (s.mode() instanceof Subscriber existing) {
            sub = existing;
        } else {
            sub = new Subscriber(this, s);
            s.setMode(sub);
        }
        sub.send(c);
    }

    /** Redis's answer to an UNSUBSCRIBE of a client subscribed to nothing (of that kind). */
    static ByteBuf notSubscribed(ClientSession s, Command c) {
        String kind = c.spec().lowerName();
        ByteBuf out = s.channel().alloc().buffer();
        if (c.argc() == 1) {
            RespWriter.integer(RespWriter.nilBulk(RespWriter.bulk(RespWriter.arrayHeader(out, 3), kind)), 0);
        }
        for (int i = 1; i < c.argc(); i++) {
            RespWriter.integer(RespWriter.bulk(RespWriter.bulk(RespWriter.arrayHeader(out, 3), kind), c.argBytes(i)), 0);
        }
        return out;
    }

    private void publish(ClientSession s, Command c) {
        RouteTable t = table();
        if (!t.hasCluster()) {
            c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        List<String> peers = List.copyOf(t.peer().keySet());
        boolean local = !t.locals().isEmpty();
        if (peers.isEmpty() && !local) {
            c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        FanOut sum = new FanOut(c, CommandKind.FANOUT_SUM, peers.size() + (local ? 1 : 0), s.channel().alloc());
        sendEverywhere(s, c, t, peers, local ? List.of(t.locals().get(0)) : List.of(), sum::part);
    }

    /** PUBSUB: merged over this proxy's Redis and its peers (UMPUBSUB); {@code localOnly} for a peer's UMPUBSUB. */
    private void pubsub(ClientSession s, Command c, boolean localOnly) {
        RouteTable t = table();
        if (!t.hasCluster() || t.locals().isEmpty() && localOnly) {
            c.complete(localOnly ? Replies.of(Replies.EMPTY_ARRAY) : Replies.of(Replies.CLUSTER_NOT_FOUND));
            return;
        }
        String sub = c.argString(1).toUpperCase(Locale.ROOT);
        boolean shard = sub.startsWith("SHARD");
        List<LocalBackend> locals = t.locals().isEmpty() ? List.of()
                : shard ? t.locals() : List.of(t.locals().get(0));
        List<String> peers = localOnly ? List.of() : List.copyOf(t.peer().keySet());
        switch (sub) {
            case "CHANNELS", "NUMSUB", "NUMPAT", "SHARDCHANNELS", "SHARDNUMSUB" -> {
                int n = locals.size() + peers.size();
                if (n == 0) {
                    c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
                    return;
                }
                Merge m = new Merge(c, sub, n, s.channel().alloc());
                sendEverywhere(s, c, t, peers, locals, m::part);
            }
            default -> {
                if (t.locals().isEmpty()) {
                    c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
                } else {
                    s.loop().group(t.locals().get(0)).connection(s.id()).send(c.detachRaw(), c);
                }
            }
        }
    }

    /** Sends the command to {@code locals} as it is and to {@code peers} wrapped in UMPUBSUB; part i gets reply i. */
    private static void sendEverywhere(ClientSession s, Command c, RouteTable t, List<String> peers,
            List<LocalBackend> locals, java.util.function.IntFunction<ReplyTarget> part) {
        ByteBuf wrapped = peers.isEmpty() ? null : wrap(s.channel().alloc(), c);
        ByteBuf raw = c.detachRaw();
        int i = 0;
        for (LocalBackend b : locals) {
            s.loop().group(b).connection(s.id()).send(raw.retainedDuplicate(), part.apply(i++));
        }
        for (String p : peers) {
            s.loop().groupFor(p).connection(s.id()).send(wrapped.retainedDuplicate(), part.apply(i++));
        }
        raw.release();
        if (wrapped != null) {
            wrapped.release();
        }
    }

    private static ByteBuf wrap(ByteBufAllocator alloc, Command c) {
        ByteBuf out = alloc.buffer(c.raw().readableBytes() + 32);
        RespWriter.arrayHeader(out, c.argc() + 1);
        RespWriter.bulk(out, "UMPUBSUB");
        for (int i = 0; i < c.argc(); i++) {
            RespWriter.bulkHeader(out, c.argLength(i));
            out.writeBytes(c.raw(), c.argOffset(i), c.argLength(i));
            out.writeByte('\r').writeByte('\n');
        }
        return out;
    }

    /** {@code UMPUBSUB PUBLISH|PUBSUB ...} from a peer proxy: this proxy's own part only. */
    public void umpubsub(ClientSession s, Command c) {
        c.unwrap(1, s.channel().alloc());
        String name = c.argString(0).toUpperCase(Locale.ROOT);
        RouteTable t = table();
        if (name.equals("PUBLISH") && c.argc() == 3) {
            if (!t.hasCluster() || t.locals().isEmpty()) {
                c.complete(Replies.of(Replies.ZERO));
            } else {
                s.loop().group(t.locals().get(0)).connection(s.id()).send(c.detachRaw(), c);
            }
        } else if (name.equals("PUBSUB") && c.argc() >= 2) {
            pubsub(s, c, true);
        } else {
            c.complete(Replies.error(s.channel().alloc(), "ERR UMPUBSUB carries PUBLISH or PUBSUB only"));
        }
    }
}
