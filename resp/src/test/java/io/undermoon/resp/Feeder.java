package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a byte stream to a decoder in chunks, keeping the unread remainder in a cumulation buffer
 * the way the proxy's connection handlers do, and tracks every buffer so tests can assert that
 * nothing leaks.
 */
final class Feeder {
    final List<ByteBuf> allocated = new ArrayList<>();
    private ByteBuf cumulation;

    /** Appends a chunk; returns the cumulation to decode from. */
    ByteBuf append(byte[] chunk) {
        ByteBuf in = track(Unpooled.directBuffer(chunk.length).writeBytes(chunk));
        if (cumulation == null) {
            cumulation = in;
        } else if (!cumulation.isReadable()) {
            cumulation.release();
            cumulation = in;
        } else {
            ByteBuf merged = track(Unpooled.directBuffer(cumulation.readableBytes() + in.readableBytes()));
            merged.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            in.release();
            cumulation = merged;
        }
        return cumulation;
    }

    ByteBuf track(ByteBuf b) {
        allocated.add(b);
        return b;
    }

    void close() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    boolean allReleased() {
        return allocated.stream().allMatch(b -> b.refCnt() == 0);
    }
}
