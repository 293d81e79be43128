package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The receive-buffer pattern of the proxy's connection handlers (proxy's {@code Cumulator}): new
 * bytes are appended after the writer index, in place when no retained slice shares the buffer,
 * otherwise into a new, larger buffer while the old one lives on under its slices. Kept here so
 * the codec can be fuzzed the way it is driven in production without depending on the proxy.
 */
final class Cumulation {
    private final ByteBufAllocator alloc;
    private ByteBuf buf;

    Cumulation(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Appends a read and returns the buffer to decode from. */
    ByteBuf append(byte[] chunk) {
        ByteBuf in = alloc.buffer(Math.max(1, chunk.length)).writeBytes(chunk);
        if (buf == null) {
            buf = in;
            return buf;
        }
        if (!buf.isReadable()) {
            buf.release();
            buf = in;
            return buf;
        }
        int need = in.readableBytes();
        try {
            if (buf.writableBytes() >= need) {
                buf.writeBytes(in);
                return buf;
            }
            if (buf.refCnt() == 1 && buf.maxWritableBytes() >= need) {
                buf.ensureWritable(need);
                buf.writeBytes(in);
                return buf;
            }
            int readable = buf.readableBytes();
            ByteBuf bigger = alloc.buffer((int) Math.min(Integer.MAX_VALUE - 8, Math.max(4096L, 2L * (readable + need))));
            bigger.writeBytes(buf, buf.readerIndex(), readable);
            bigger.writeBytes(in);
            buf.release();
            buf = bigger;
            return buf;
        } finally {
            in.release();
        }
    }

    /** After decoding: drops a fully consumed buffer, as the proxy does. */
    void discardIfConsumed() {
        if (buf != null && !buf.isReadable()) {
            buf.release();
            buf = null;
        }
    }

    void close() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
