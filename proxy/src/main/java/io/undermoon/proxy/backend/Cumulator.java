package io.undermoon.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Joins newly read bytes to the unread remainder of earlier reads. Decoded frames are retained
 * slices of the cumulation, so bytes already read are never moved or overwritten: new bytes go
 * after the writer index, or into a new, larger buffer (the old one lives on while slices use it).
 * Capacity grows geometrically, so a large value costs a linear number of copies.
 */
public final class Cumulator {
    private Cumulator() {}

    public static ByteBuf append(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (cumulation == null) {
            return in;
        }
        if (!cumulation.isReadable()) {
            cumulation.release();
            return in;
        }
        int need = in.readableBytes();
        try {
            if (cumulation.writableBytes() >= need) {
                cumulation.writeBytes(in);
                return cumulation;
            }
            if (cumulation.refCnt() == 1 && cumulation.maxWritableBytes() >= need) {
                // no slice shares it: growing in place keeps every byte at its index
                cumulation.ensureWritable(need);
                cumulation.writeBytes(in);
                return cumulation;
            }
            int readable = cumulation.readableBytes();
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(4096L, 2L * (readable + need)));
            ByteBuf bigger = alloc.buffer(capacity);
            bigger.writeBytes(cumulation, cumulation.readerIndex(), readable);
            bigger.writeBytes(in);
            cumulation.release();
            return bigger;
        } finally {
            in.release();
        }
    }
}
