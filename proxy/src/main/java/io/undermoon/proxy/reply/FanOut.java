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
public final class FanOut {
    private final ReplyTarget parent;
    private final CommandKind kind;
    private final ByteBuf[] replies;
    private final ByteBufAllocator alloc;
    private int missing;

    public FanOut(ReplyTarget parent, CommandKind kind, int parts, ByteBufAllocator alloc) {
        this.parent = parent;
        this.kind = kind;
        this.replies = new ByteBuf[parts];
        this.alloc = alloc;
        this.missing = parts;
    }

    public ReplyTarget part(int i) {
        return new ReplyTarget() {
            @Override
            public void complete(ByteBuf reply) {
                replies[i] = reply;
                if (--missing == 0) {
                    finish();
                }
            }

            @Override
            public boolean isCancelled() {
                return parent.isCancelled();
            }
        };
    }

    private void finish() {
        ByteBuf result = null;
        try {
            for (ByteBuf r : replies) {
                if (r.getByte(r.readerIndex()) == '-') {
                    result = r.retain();
                    return;
                }
            }
            result = switch (kind) {
                case FANOUT_SUM -> sum();
                case FANOUT_CONCAT -> concat();
                default -> replies[0].retain();
            };
        } finally {
            for (ByteBuf r : replies) {
                r.release();
            }
            parent.complete(result);
        }
    }

    private ByteBuf sum() {
        long total = 0;
        for (ByteBuf r : replies) {
            if (r.getByte(r.readerIndex()) != ':') {
                return Replies.error(alloc, "ERR unexpected reply from a backend: " + firstLine(r));
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
                return Replies.error(alloc, "ERR unexpected reply from a backend: " + header);
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
