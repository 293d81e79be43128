package io.undermoon.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * Replies the proxy sends constantly, encoded once. Each is an unreleasable buffer: write a
 * {@link #of(ByteBuf) duplicate}, never the original. The error texts are the catalogue the docs
 * list; clients match some of them (MOVED, CROSSSLOT, CLUSTERDOWN, NOAUTH).
 */
public final class Replies {
    public static final ByteBuf OK = fixed("+OK\r\n");
    public static final ByteBuf PONG = fixed("+PONG\r\n");
    public static final ByteBuf ZERO = fixed(":0\r\n");
    public static final ByteBuf ONE = fixed(":1\r\n");
    public static final ByteBuf NIL = fixed("$-1\r\n");
    public static final ByteBuf EMPTY_ARRAY = fixed("*0\r\n");
    public static final ByteBuf OLD_EPOCH = fixed("-OLD_EPOCH\r\n");
    public static final ByteBuf ERR_NOT_MY_META = fixed("-ERR_NOT_MY_META\r\n");
    public static final ByteBuf CLUSTER_NOT_FOUND = fixed("-ERR_CLUSTER_NOT_FOUND\r\n");
    public static final ByteBuf CROSSSLOT = fixed("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
    public static final ByteBuf CLUSTERDOWN = fixed("-CLUSTERDOWN Hash slot not served\r\n");
    public static final ByteBuf NOAUTH = fixed("-NOAUTH Authentication required.\r\n");
    public static final ByteBuf MISSING_SUB_COMMAND = fixed("-Missing sub command\r\n");
    public static final ByteBuf INVALID_SUB_COMMAND = fixed("-Invalid sub command\r\n");
    public static final ByteBuf NO_KEY = fixed("-ERR this command has no key: the undermoon proxy cannot tell which node should run it\r\n");
    public static final ByteBuf TRYAGAIN_PROMOTION =
            fixed("-TRYAGAIN this proxy's Redis is being promoted to master (failover in progress); retry\r\n");
    public static final ByteBuf BUSY = fixed("-ERR proxy busy: too many pending commands on this connection\r\n");

    private Replies() {}

    private static ByteBuf fixed(String s) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(s.length()).writeBytes(s.getBytes(StandardCharsets.UTF_8)).asReadOnly());
    }

    /** A writable view of a fixed reply. */
    public static ByteBuf of(ByteBuf fixed) {
        return fixed.duplicate();
    }

    public static ByteBuf error(ByteBufAllocator alloc, String message) {
        ByteBuf b = alloc.buffer(message.length() + 3);
        return RespWriter.error(b, message);
    }

    public static ByteBuf simple(ByteBufAllocator alloc, String message) {
        ByteBuf b = alloc.buffer(message.length() + 3);
        return RespWriter.simple(b, message);
    }

    public static ByteBuf integer(ByteBufAllocator alloc, long v) {
        if (v == 0) {
            return of(ZERO);
        }
        if (v == 1) {
            return of(ONE);
        }
        ByteBuf b = alloc.buffer(24);
        return RespWriter.integer(b, v);
    }

    public static ByteBuf bulk(ByteBufAllocator alloc, String s) {
        if (s == null) {
            return of(NIL);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = alloc.buffer(bytes.length + 16);
        return RespWriter.bulk(b, bytes);
    }

    /** {@code -MOVED <slot> <address>}. */
    public static ByteBuf moved(ByteBufAllocator alloc, int slot, String address) {
        ByteBuf b = alloc.buffer(16 + address.length());
        b.writeBytes(MOVED_PREFIX);
        RespWriter.writeDecimal(b, slot);
        b.writeByte(' ');
        b.writeCharSequence(address, StandardCharsets.US_ASCII);
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    private static final byte[] MOVED_PREFIX = "-MOVED ".getBytes(StandardCharsets.US_ASCII);
}
