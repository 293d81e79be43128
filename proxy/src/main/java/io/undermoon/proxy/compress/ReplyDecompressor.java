package io.undermoon.proxy.compress;

import io.netty.buffer.ByteBuf;
import io.undermoon.proxy.reply.ReplyFilter;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * Decompresses the values in the reply of a reading string command: a bulk string (GET, GETSET,
 * GETDEL, GETEX, SET ... GET) or an array of bulk strings (MGET). A value that is not zstd frames
 * (see {@link ZstdCodec}) is left as stored, so is every other reply (errors, nil, integers); a
 * reply without a compressed value is passed on as the same buffer.
 */
final class ReplyDecompressor implements ReplyFilter {
    private final long maxLen;

    ReplyDecompressor(long maxLen) {
        this.maxLen = maxLen;
    }

    @Override
    public ByteBuf filter(ByteBuf reply) {
        if (!reply.isReadable()) {
            return reply;
        }
        byte type = reply.getByte(reply.readerIndex());
        try {
            if (type == '$') {
                return bulk(reply);
            }
            if (type == '*') {
                return array(reply);
            }
            return reply;
        } catch (ZstdCodec.TooLargeException e) {
            ByteBuf err = reply.alloc().buffer(e.getMessage().length() + 8);
            err.writeCharSequence("-ERR " + e.getMessage() + "\r\n", StandardCharsets.US_ASCII);
            reply.release();
            return err;
        } catch (LinkageError e) {
            // the native zstd library could not be loaded: say so rather than answer garbage
            ByteBuf err = reply.alloc().buffer(64);
            err.writeCharSequence("-ERR failed to decompress data: " + e + "\r\n", StandardCharsets.US_ASCII);
            reply.release();
            return err;
        }
    }

    private ByteBuf bulk(ByteBuf reply) throws ZstdCodec.TooLargeException {
        int at = reply.readerIndex();
        int cr = reply.indexOf(at, reply.writerIndex(), (byte) '\r');
        long len = cr < 0 ? -1 : parseLength(reply, at + 1, cr);
        if (len < 0 || cr + 2 + len > reply.writerIndex()) {
            return reply;
        }
        ByteBuf decoded = ZstdCodec.get().decompress(reply, cr + 2, (int) len, reply.alloc(), maxLen);
        if (decoded == null) {
            return reply;
        }
        try {
            ByteBuf out = reply.alloc().buffer(decoded.readableBytes() + 16);
            writeBulk(out, decoded);
            return out;
        } finally {
            decoded.release();
            reply.release();
        }
    }

    private ByteBuf array(ByteBuf reply) throws ZstdCodec.TooLargeException {
        int at = reply.readerIndex();
        int end = reply.writerIndex();
        int cr = reply.indexOf(at, end, (byte) '\r');
        long n = cr < 0 ? -1 : parseLength(reply, at + 1, cr);
        if (n <= 0 || n > (end - at) / 4) {
            return reply;
        }
        int count = (int) n;
        // pass 1: where each element is, and which ones decode
        int[] valueAt = new int[count];
        int[] valueLen = new int[count];
        ByteBuf[] decoded = null;
        try {
            int p = cr + 2;
            for (int i = 0; i < count; i++) {
                if (p >= end || reply.getByte(p) != '$') {
                    return release(decoded, reply); // not an array of bulk strings: leave it
                }
                int ecr = reply.indexOf(p, end, (byte) '\r');
                long len = ecr < 0 ? Long.MIN_VALUE : parseLength(reply, p + 1, ecr);
                if (len == Long.MIN_VALUE || (len >= 0 && ecr + 4 + len > end)) {
                    return release(decoded, reply);
                }
                valueAt[i] = ecr + 2;
                valueLen[i] = (int) Math.max(len, -1);
                if (len >= 0) {
                    ByteBuf d = ZstdCodec.get().decompress(reply, ecr + 2, (int) len, reply.alloc(), maxLen);
                    if (d != null) {
                        if (decoded == null) {
                            decoded = new ByteBuf[count];
                        }
                        decoded[i] = d;
                    }
                    p = ecr + 4 + (int) len;
                } else {
                    p = ecr + 2;
                }
            }
            if (decoded == null) {
                return reply;
            }
            // pass 2: the array again, with the decoded values
            int size = 16;
            for (int i = 0; i < count; i++) {
                size += 16 + (decoded[i] != null ? decoded[i].readableBytes() : Math.max(valueLen[i], 0));
            }
            ByteBuf out = reply.alloc().buffer(size);
            RespWriter.arrayHeader(out, count);
            for (int i = 0; i < count; i++) {
                if (decoded[i] != null) {
                    writeBulk(out, decoded[i]);
                } else if (valueLen[i] < 0) {
                    out.writeBytes(NIL);
                } else {
                    RespWriter.bulkHeader(out, valueLen[i]);
                    out.writeBytes(reply, valueAt[i], valueLen[i]);
                    out.writeByte('\r').writeByte('\n');
                }
            }
            release(decoded, null);
            reply.release();
            return out;
        } catch (ZstdCodec.TooLargeException | RuntimeException | LinkageError e) {
            release(decoded, null);
            throw e;
        }
    }

    private static final byte[] NIL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private static ByteBuf release(ByteBuf[] decoded, ByteBuf keep) {
        if (decoded != null) {
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] != null) {
                    decoded[i].release();
                    decoded[i] = null;
                }
            }
        }
        return keep;
    }

    private static void writeBulk(ByteBuf out, ByteBuf value) {
        RespWriter.bulkHeader(out, value.readableBytes());
        out.writeBytes(value, value.readerIndex(), value.readableBytes());
        out.writeByte('\r').writeByte('\n');
    }

    /** The signed decimal between {@code from} and {@code to}, or Long.MIN_VALUE when it is not one. */
    static long parseLength(ByteBuf b, int from, int to) {
        if (from >= to || to - from > 19) {
            return Long.MIN_VALUE;
        }
        boolean neg = b.getByte(from) == '-';
        int i = neg ? from + 1 : from;
        if (i == to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    /** For tests: a filter with this limit. */
    static ReplyFilter withLimit(long maxLen) {
        return new ReplyDecompressor(maxLen);
    }
}
