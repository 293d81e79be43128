package io.undermoon.proxy.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.proxy.reply.ReplyFilter;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;

/**
 * A cluster's {@code compression_strategy} applied to a command on its way to a Redis (the router
 * calls {@link #apply} only when the strategy is not {@code disabled}):
 *
 * <ul>
 *   <li>SET, SETNX, GETSET compress element 2; SETEX, PSETEX element 3; MSET, MSETNX every value
 *       (elements 2, 4, ...), zstd level 1 ({@link ZstdCodec}: a value whose frame would not be
 *       shorter is stored as sent);
 *   <li>the replies of GET, GETSET, GETDEL, GETEX, MGET and SET (its GET option) are decompressed
 *       ({@link ReplyDecompressor});
 *   <li>the other string commands, which would see the compressed bytes, are refused under
 *       {@code set_get_only} and passed as they are under {@code allow_all};
 *   <li>everything else passes.
 * </ul>
 *
 * Compression happens once, on the proxy whose Redis stores the value: a proxy that forwards a
 * command to a peer (active redirection) sends it as it came and passes the peer's reply on.
 */
public final class ValueCompression {
    public static final String UNSUPPORTED = "unsupported string command when compression is enabled";
    public static final String INVALID = "invalid command";
    public static final String FAILED = "failed to compress data: ";

    private enum Rule { PASS, VALUE_AT_2, VALUE_AT_3, VALUES_EVEN, READ, RESTRICTED }

    /** Marks a command {@link #prepare} has to compress or decode: leaves a reply as it is (one from a peer). */
    public static final ReplyFilter PENDING = reply -> reply;

    private final ReplyFilter decompressor;

    /** @param maxValueLength the longest value a reply may decompress to (the request limit on a bulk string) */
    public ValueCompression(long maxValueLength) {
        this.decompressor = new ReplyDecompressor(maxValueLength);
    }

    private static Rule rule(String name) {
        return switch (name) {
            case "SET", "SETNX", "GETSET" -> Rule.VALUE_AT_2;
            case "SETEX", "PSETEX" -> Rule.VALUE_AT_3;
            case "MSET", "MSETNX" -> Rule.VALUES_EVEN;
            case "GET", "GETDEL", "GETEX", "MGET" -> Rule.READ;
            case "APPEND", "BITCOUNT", "BITFIELD", "BITFIELD_RO", "BITOP", "BITPOS", "DECR", "DECRBY", "GETBIT",
                    "GETRANGE", "SUBSTR", "INCR", "INCRBY", "INCRBYFLOAT", "SETBIT", "SETRANGE", "STRLEN", "LCS" ->
                    Rule.RESTRICTED;
            default -> Rule.PASS;
        };
    }

    /**
     * Marks a command whose values or reply concern compression (nothing else is touched), and
     * refuses under {@code set_get_only} a string command that would see compressed bytes. Called
     * for every routed command while the strategy is not DISABLED; the work itself is done by
     * {@link #prepare} when the command is sent to a Redis of this proxy, so that a command
     * forwarded to a peer is compressed once, by the proxy that owns the slot.
     *
     * @return false when the command has been answered (refused)
     */
    public boolean check(Command c, CompressionStrategy strategy, ByteBufAllocator alloc) {
        if (c.replyFilter() != null) {
            return true; // looked at already (routed again after a hold)
        }
        switch (rule(c.spec().name())) {
            case PASS -> {
                return true;
            }
            case RESTRICTED -> {
                if (strategy == CompressionStrategy.SET_GET_ONLY) {
                    c.complete(error(alloc, UNSUPPORTED));
                    return false;
                }
                return true;
            }
            default -> {
                c.setReplyFilter(PENDING);
                return true;
            }
        }
    }

    /**
     * Compresses the values of a command marked by {@link #check} (a no-op for any other command)
     * and sets the decompression of its reply, just before it is sent to a Redis.
     *
     * @return false when the command has been answered (compression failed)
     */
    public boolean prepare(Command c, ByteBufAllocator alloc) {
        if (c.replyFilter() != PENDING) {
            return true;
        }
        Rule rule = rule(c.spec().name());
        if (rule == Rule.READ) {
            c.setReplyFilter(decompressor);
            return true;
        }
        int first = rule == Rule.VALUE_AT_3 ? 3 : 2;
        if (c.argc() <= first) {
            c.setReplyFilter(ReplyFilter.NONE);
            c.complete(error(alloc, INVALID));
            return false;
        }
        try {
            compressValues(c, first, rule == Rule.VALUES_EVEN ? 2 : c.argc(), alloc);
        } catch (RuntimeException | LinkageError e) {
            c.setReplyFilter(ReplyFilter.NONE);
            c.complete(error(alloc, FAILED + e.getMessage()));
            return false;
        }
        String name = c.spec().name();
        c.setReplyFilter(name.equals("SET") || name.equals("GETSET") ? decompressor : ReplyFilter.NONE);
        return true;
    }

    /** Rewrites the request with elements {@code first}, {@code first + step}, ... compressed. */
    static void compressValues(Command c, int first, int step, ByteBufAllocator alloc) {
        int argc = c.argc();
        ZstdCodec codec = ZstdCodec.get();
        ByteBuf[] frames = null;
        try {
            for (int i = first; i < argc; i += step) {
                ByteBuf f = codec.compress(c.raw(), c.argOffset(i), c.argLength(i), alloc);
                if (f != null) {
                    if (frames == null) {
                        frames = new ByteBuf[argc];
                    }
                    frames[i] = f;
                }
            }
            if (frames == null) {
                return; // nothing shrinks: sent as it came
            }
            long size = 16;
            for (int i = 0; i < argc; i++) {
                size += 16 + (frames[i] != null ? frames[i].readableBytes() : c.argLength(i));
            }
            ByteBuf out = alloc.buffer((int) Math.min(Integer.MAX_VALUE - 8, size));
            int[] args = new int[2 * argc];
            RespWriter.arrayHeader(out, argc);
            for (int i = 0; i < argc; i++) {
                ByteBuf f = frames[i];
                int len = f != null ? f.readableBytes() : c.argLength(i);
                RespWriter.bulkHeader(out, len);
                args[2 * i] = out.writerIndex() - out.readerIndex();
                args[2 * i + 1] = len;
                if (f != null) {
                    out.writeBytes(f, f.readerIndex(), len);
                } else {
                    out.writeBytes(c.raw(), c.argOffset(i), len);
                }
                out.writeByte('\r').writeByte('\n');
            }
            c.replaceRaw(out, args);
        } finally {
            if (frames != null) {
                for (ByteBuf f : frames) {
                    if (f != null) {
                        f.release();
                    }
                }
            }
        }
    }

    private static ByteBuf error(ByteBufAllocator alloc, String message) {
        return Replies.error(alloc, message.replace('\r', ' ').replace('\n', ' '));
    }
}
