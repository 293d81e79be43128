package io.undermoon.proxy.wide;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/** Small RESP helpers for the whole-cluster commands: building parts, reading the replies of parts. */
final class Parts {
    private Parts() {}

    /** Writes argument {@code i} of {@code c} as a bulk string. */
    static void copyArg(ByteBuf out, Command c, int i) {
        RespWriter.bulkHeader(out, c.argLength(i));
        out.writeBytes(c.raw(), c.argOffset(i), c.argLength(i));
        out.writeByte('\r').writeByte('\n');
    }

    /** {@code UMFORWARD 0 <command>}: a peer runs the command on its own masters and forwards nothing. */
    static ByteBuf forwardedNoHop(ByteBufAllocator alloc, ByteBuf command, int argc) {
        ByteBuf header = alloc.buffer(32);
        RespWriter.arrayHeader(header, argc + 2);
        RespWriter.bulk(header, "UMFORWARD");
        RespWriter.bulk(header, "0");
        int bodyStart = command.indexOf(command.readerIndex(), command.writerIndex(), (byte) '\n') + 1;
        CompositeByteBuf out = alloc.compositeBuffer(2);
        out.addComponent(true, header);
        out.addComponent(true, command.retainedSlice(bodyStart, command.writerIndex() - bodyStart));
        return out;
    }

    static boolean isError(ByteBuf r) {
        return r.getByte(r.readerIndex()) == '-';
    }

    /** Index just after the CRLF of the line that starts at {@code pos}, or -1. */
    static int lineEnd(ByteBuf r, int pos) {
        int lf = r.indexOf(pos, r.writerIndex(), (byte) '\n');
        return lf < 0 ? -1 : lf + 1;
    }

    /** The number after the type byte of the line at {@code pos} ({@code :12}, {@code *3}, {@code $5}). */
    static long lineNumber(ByteBuf r, int pos) {
        int end = lineEnd(r, pos);
        if (end < 0) {
            throw new IllegalArgumentException("no line end");
        }
        return Long.parseLong(r.toString(pos + 1, end - 2 - pos - 1, StandardCharsets.US_ASCII));
    }

    /** End of the bulk string (or nil) at {@code pos}; -1 when it is not a bulk string. */
    static int skipBulk(ByteBuf r, int pos) {
        if (r.getByte(pos) != '$') {
            return -1;
        }
        long len = lineNumber(r, pos);
        int end = lineEnd(r, pos);
        return len < 0 ? end : (int) (end + len + 2);
    }

    static String firstLine(ByteBuf r) {
        int end = lineEnd(r, r.readerIndex());
        int stop = end < 0 ? r.writerIndex() : end - 2;
        return r.toString(r.readerIndex(), Math.max(0, stop - r.readerIndex()), StandardCharsets.UTF_8);
    }
}
