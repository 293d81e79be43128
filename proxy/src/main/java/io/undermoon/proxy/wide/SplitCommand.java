package io.undermoon.proxy.wide;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.reply.Gather;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.route.Route;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import io.undermoon.resp.RespWriter;
import io.undermoon.resp.RequestDecoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Proxy mode: a MGET, MSET, DEL, EXISTS, UNLINK or TOUCH whose keys span slots is split by owner
 * (one part per local Redis, per peer proxy, and per slot under migration), the parts are routed
 * like any single-owner command, and their replies are merged into the reply one Redis would give.
 * Only reached for cross-slot commands, never on the single-slot path.
 */
final class SplitCommand {
    enum Merge { ARRAY, OK, SUM }

    private SplitCommand() {}

    static Merge mergeOf(CommandSpec spec) {
        return switch (spec.name()) {
            case "MGET" -> Merge.ARRAY;
            case "MSET" -> Merge.OK;
            case "DEL", "EXISTS", "UNLINK", "TOUCH" -> Merge.SUM;
            default -> null;
        };
    }

    /** Keys that go to the same owner, in the client's order (indexes into the key list). */
    private static final class Group {
        final int slot;
        int[] keys = new int[4];
        int count;

        Group(int slot) {
            this.slot = slot;
        }

        void add(int k) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
            }
            keys[count++] = k;
        }
    }

    /**
     * Splits and sends; false when the command is not one that proxy mode splits (the caller answers
     * CROSSSLOT). {@code partHops}: the redirection budget each part carries to a peer.
     */
    static boolean start(ClientSession s, Command c, CommandSpec spec, RouteTable t, PartRouter router, int partHops,
            RespLimits limits) {
        ByteBufAllocator alloc = s.channel().alloc();
        if (spec.name().equals("MSETNX")) {
            c.complete(Replies.error(alloc, "ERR MSETNX with keys in different slots is not supported in proxy mode"
                    + " (it could not be atomic); put the keys in one slot with a hash tag such as {user1}"));
            return true;
        }
        Merge merge = mergeOf(spec);
        if (merge == null) {
            return false;
        }
        int step = spec.step();
        int argc = c.argc();
        if ((argc - 1) % step != 0) {
            c.complete(Replies.error(alloc, "ERR wrong number of arguments for '" + spec.lowerName() + "' command"));
            return true;
        }
        if (!t.hasCluster()) {
            c.complete(Replies.of(Replies.CLUSTER_NOT_FOUND));
            return true;
        }
        int nkeys = (argc - 1) / step;
        Map<Object, Group> groups = new LinkedHashMap<>();
        for (int k = 0; k < nkeys; k++) {
            int slot = KeyFinder.slotOfArg(c, 1 + k * step);
            Route r = t.route(slot);
            Object owner = r instanceof Route.Local l ? l.backend()
                    : r instanceof Route.Peer p ? p.proxyAddress() : Integer.valueOf(slot);
            groups.computeIfAbsent(owner, o -> new Group(slot)).add(k);
        }
        Merger merger = new Merger(c, merge, nkeys, groups.size(), alloc);
        RequestDecoder<Command> decoder = new RequestDecoder<>(limits, Command::new);
        Command[] parts = new Command[groups.size()];
        Group[] order = groups.values().toArray(new Group[0]);
        try {
            for (int i = 0; i < order.length; i++) {
                parts[i] = build(c, order[i], step, alloc, decoder);
                parts[i].makePartOf(c, spec, partHops, merger.part(i, Arrays.copyOf(order[i].keys, order[i].count)));
            }
        } catch (RespProtocolException e) {
            for (Command p : parts) {
                if (p != null) {
                    p.release();
                }
            }
            c.complete(Replies.error(alloc, "ERR cannot split the command: " + e.getMessage()));
            return true;
        }
        c.release();
        for (int i = 0; i < order.length; i++) {
            router.route(s, parts[i], t, order[i].slot);
        }
        return true;
    }

    private static Command build(Command c, Group g, int step, ByteBufAllocator alloc, RequestDecoder<Command> decoder)
            throws RespProtocolException {
        int size = 16 + c.argLength(0) + 16;
        for (int j = 0; j < g.count; j++) {
            for (int a = 0; a < step; a++) {
                size += c.argLength(1 + g.keys[j] * step + a) + 16;
            }
        }
        ByteBuf buf = alloc.buffer(size);
        try {
            RespWriter.arrayHeader(buf, 1 + g.count * step);
            Parts.copyArg(buf, c, 0);
            for (int j = 0; j < g.count; j++) {
                for (int a = 0; a < step; a++) {
                    Parts.copyArg(buf, c, 1 + g.keys[j] * step + a);
                }
            }
            return decoder.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** Collects the replies of the parts and answers the whole command once all arrived. */
    private static final class Merger extends Gather {
        private final Merge merge;
        private final int nkeys;
        private final int[][] keysOf;

        Merger(Command whole, Merge merge, int nkeys, int parts, ByteBufAllocator alloc) {
            super(whole, parts, alloc);
            this.merge = merge;
            this.nkeys = nkeys;
            this.keysOf = new int[parts][];
        }

        ReplyTarget part(int i, int[] keys) {
            keysOf[i] = keys;
            return part(i);
        }

        @Override
        protected ByteBuf combine() {
            return switch (merge) {
                case OK -> Replies.of(Replies.OK);
                case SUM -> sum();
                case ARRAY -> array();
            };
        }

        private ByteBuf sum() {
            long total = 0;
            for (ByteBuf r : replies) {
                if (r.getByte(r.readerIndex()) != ':') {
                    throw new IllegalStateException(Parts.firstLine(r));
                }
                total += Parts.lineNumber(r, r.readerIndex());
            }
            return Replies.integer(alloc, total);
        }

        /** MGET: element j of part i is the value of key keysOf[i][j]; copied out in the client's order. */
        private ByteBuf array() {
            int[] start = new int[nkeys];
            int[] end = new int[nkeys];
            int[] from = new int[nkeys];
            int size = 16;
            for (int i = 0; i < replies.length; i++) {
                ByteBuf r = replies[i];
                if (r.getByte(r.readerIndex()) != '*' || Parts.lineNumber(r, r.readerIndex()) != keysOf[i].length) {
                    throw new IllegalStateException(Parts.firstLine(r));
                }
                int pos = Parts.lineEnd(r, r.readerIndex());
                for (int k : keysOf[i]) {
                    int e = Parts.skipBulk(r, pos);
                    if (e < 0 || e > r.writerIndex()) {
                        throw new IllegalStateException("not a bulk string in " + Parts.firstLine(r));
                    }
                    start[k] = pos;
                    end[k] = e;
                    from[k] = i;
                    size += e - pos;
                    pos = e;
                }
            }
            ByteBuf out = alloc.buffer(size);
            RespWriter.arrayHeader(out, nkeys);
            for (int k = 0; k < nkeys; k++) {
                out.writeBytes(replies[from[k]], start[k], end[k] - start[k]);
            }
            return out;
        }
    }
}
