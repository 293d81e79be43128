package io.undermoon.proxy.wide;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * SCAN over every local master (cluster mode, and the part a peer asks for in proxy mode) and over
 * every proxy of the cluster (proxy mode). See {@link ScanCursor} for the cursor; a cursor from
 * another epoch is refused, so a topology change during a scan gives a clear error instead of
 * silently missing or repeating keys.
 */
final class ClusterScan {
    static final String STALE = "ERR SCAN cursor belongs to an older cluster topology (the epoch changed during the"
            + " scan); restart the SCAN from cursor 0";
    static final String INVALID = "ERR invalid cursor";

    private ClusterScan() {}

    /** Decodes argument 1, or answers the command with the error and returns -1. */
    private static long cursorOrReply(Command c, RouteTable t, ByteBufAllocator alloc) {
        long cursor = ScanCursor.parse(c.argString(1));
        if (cursor < 0) {
            c.complete(Replies.error(alloc, INVALID));
            return -1;
        }
        if (ScanCursor.staleEpoch(cursor, t.epoch())) {
            c.complete(Replies.error(alloc, STALE));
            return -1;
        }
        return cursor;
    }

    /** SCAN over this proxy's masters; the reply's cursor has proxy index 0. */
    static void local(ClientSession s, Command c, RouteTable t) {
        ByteBufAllocator alloc = s.channel().alloc();
        long cursor = cursorOrReply(c, t, alloc);
        if (cursor >= 0) {
            localPart(s, c, t, cursor, c);
        }
    }

    private static void localPart(ClientSession s, Command c, RouteTable t, long cursor, ReplyTarget out) {
        ByteBufAllocator alloc = s.channel().alloc();
        List<LocalBackend> locals = t.locals();
        int b = ScanCursor.backend(cursor);
        if (cursor == 0 && locals.isEmpty()) {
            out.complete(scanReply(alloc, 0, null));
            return;
        }
        if (ScanCursor.proxy(cursor) != 0 || b >= locals.size()) {
            out.complete(Replies.error(alloc, INVALID));
            return;
        }
        ByteBuf cmd = alloc.buffer(64);
        RespWriter.arrayHeader(cmd, c.argc());
        RespWriter.bulk(cmd, "SCAN");
        RespWriter.bulk(cmd, Long.toUnsignedString(ScanCursor.redisCursor(cursor)));
        for (int i = 2; i < c.argc(); i++) {
            Parts.copyArg(cmd, c, i);
        }
        long epoch = t.epoch();
        int n = locals.size();
        s.loop().group(locals.get(b)).connection(s.id()).send(cmd, mapped(out, alloc, rc -> {
            if (rc >= ScanCursor.REDIS_LIMIT) {
                return -1;
            }
            if (rc == 0) {
                return b + 1 < n ? ScanCursor.encode(0, b + 1, epoch, 0) : 0;
            }
            return ScanCursor.encode(0, b, epoch, rc);
        }));
    }

    /** SCAN over the whole cluster: the proxies in address order, each scanning its own masters. */
    static void cluster(ClientSession s, Command c, RouteTable t, String self) {
        ByteBufAllocator alloc = s.channel().alloc();
        long cursor = cursorOrReply(c, t, alloc);
        if (cursor < 0) {
            return;
        }
        List<String> proxies = new ArrayList<>(t.peer().keySet());
        if (!proxies.contains(self)) {
            proxies.add(self);
        }
        proxies.sort(null);
        int p = ScanCursor.proxy(cursor);
        if (p >= proxies.size() || proxies.size() > ScanCursor.MAX_NODES) {
            c.complete(Replies.error(alloc, INVALID));
            return;
        }
        long localCursor = cursor & ~0xFFL;
        long epoch = t.epoch();
        int n = proxies.size();
        ReplyTarget out = mapped(c, alloc, lc -> lc == 0 ? (p + 1 < n ? ScanCursor.encode(p + 1, 0, epoch, 0) : 0) : lc | p);
        if (proxies.get(p).equals(self)) {
            localPart(s, c, t, localCursor, out);
            return;
        }
        ByteBuf cmd = alloc.buffer(64);
        RespWriter.arrayHeader(cmd, c.argc() + 2);
        RespWriter.bulk(cmd, "UMFORWARD");
        RespWriter.bulk(cmd, "0");
        RespWriter.bulk(cmd, "SCAN");
        RespWriter.bulk(cmd, Long.toUnsignedString(localCursor));
        for (int i = 2; i < c.argc(); i++) {
            Parts.copyArg(cmd, c, i);
        }
        s.loop().groupFor(proxies.get(p)).connection(s.id()).send(cmd, out);
    }

    /** A target that rewrites the cursor of a SCAN reply (errors pass through; -1 from the map: too large). */
    private static ReplyTarget mapped(ReplyTarget out, ByteBufAllocator alloc, LongUnaryOperator map) {
        return new ReplyTarget() {
            @Override
            public void complete(ByteBuf reply) {
                if (Parts.isError(reply)) {
                    out.complete(reply);
                    return;
                }
                ByteBuf result;
                try {
                    int pos = reply.readerIndex();
                    if (reply.getByte(pos) != '*' || Parts.lineNumber(reply, pos) != 2) {
                        throw new IllegalStateException(Parts.firstLine(reply));
                    }
                    int cursorLine = Parts.lineEnd(reply, pos);
                    int keys = Parts.skipBulk(reply, cursorLine);
                    String text = reply.toString(Parts.lineEnd(reply, cursorLine), keys - 2 - Parts.lineEnd(reply, cursorLine),
                            java.nio.charset.StandardCharsets.US_ASCII);
                    long next = map.applyAsLong(Long.parseUnsignedLong(text));
                    result = next == -1 ? Replies.error(alloc, "ERR SCAN cursor of a backend too large for the proxy's cursor")
                            : scanReply(alloc, next, reply.slice(keys, reply.writerIndex() - keys));
                } catch (RuntimeException e) {
                    result = Replies.error(alloc, "ERR unexpected SCAN reply from a backend: " + e.getMessage());
                } finally {
                    reply.release();
                }
                out.complete(result);
            }

            @Override
            public boolean isCancelled() {
                return out.isCancelled();
            }
        };
    }

    private static ByteBuf scanReply(ByteBufAllocator alloc, long cursor, ByteBuf keys) {
        ByteBuf b = alloc.buffer(32 + (keys == null ? 4 : keys.readableBytes()));
        RespWriter.arrayHeader(b, 2);
        RespWriter.bulk(b, Long.toUnsignedString(cursor));
        if (keys == null) {
            RespWriter.arrayHeader(b, 0);
        } else {
            b.writeBytes(keys);
        }
        return b;
    }
}
