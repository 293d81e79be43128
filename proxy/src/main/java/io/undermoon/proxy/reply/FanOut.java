package io.undermoon.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * Combines the replies of one keyless command sent to every local master: the first reply
 * (FLUSHALL, SCRIPT LOAD), the sum (DBSIZE) or the concatenation (KEYS). An error from any
 * backend is the answer.
 */
public final class FanOut extends Gather {
    private final CommandKind kind;

    public FanOut(ReplyTarget parent, CommandKind kind, int parts, ByteBufAllocator alloc) {
        super(parent, parts, alloc);
        this.kind = kind;
    }

    @Override
    protected ByteBuf combine() {
        return switch (kind) {
            case FANOUT_SUM -> sum();
            case FANOUT_CONCAT -> concat();
            default -> replies[0].retain();
        };
    }

    private ByteBuf sum() {
        long total = 0;
        for (ByteBuf r : replies) {
            if (r.getByte(r.readerIndex()) != ':') {
                throw new IllegalStateException(firstLine(r));
            }
            total += Long.parseLong(firstLine(r).substring(1));
        }
        return Replies.integer(alloc, total);
    }

    private ByteBuf concat() {
        long count = 0;
        CompositeByteBuf out = alloc.compositeBuffer(replies.length + 1);
        for (ByteBuf r : replies) {
            String header = firstLine(r);
            if (!header.startsWith("*")) {
                out.release();
                throw new IllegalStateException(header);
            }
            long n = Long.parseLong(header.substring(1));
            if (n > 0) {
                count += n;
                int bodyStart = r.indexOf(r.readerIndex(), r.writerIndex(), (byte) '\n') + 1;
                out.addComponent(true, r.retainedSlice(bodyStart, r.writerIndex() - bodyStart));
            }
        }
        ByteBuf header = RespWriter.arrayHeader(alloc.buffer(16), (int) count);
        out.addComponent(true, 0, header);
        return out;
    }

    private static String firstLine(ByteBuf r) {
        int lf = r.indexOf(r.readerIndex(), r.writerIndex(), (byte) '\n');
        int end = lf < 0 ? r.writerIndex() : lf - 1;
        return r.toString(r.readerIndex(), Math.max(0, end - r.readerIndex()), StandardCharsets.UTF_8);
    }
}
