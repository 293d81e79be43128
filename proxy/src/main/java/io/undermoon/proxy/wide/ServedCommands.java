package io.undermoon.proxy.wide;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.CommandTable;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.ReplyFramer;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import io.undermoon.resp.RespWriter;
import java.util.Locale;

/**
 * COMMAND limited to what the proxy serves: Redis's own reply (one local master is asked) with the
 * commands the proxy refuses or does not know left out. COMMAND and COMMAND LIST drop them, COMMAND
 * COUNT counts what COMMAND shows, COMMAND INFO answers nil for them (as Redis does for an unknown
 * name), COMMAND DOCS drops their pairs; other sub-commands (GETKEYS, HELP) pass through.
 */
final class ServedCommands {
    private static final RespLimits LIMITS = new RespLimits(1 << 20, 1 << 26, 1 << 16, 16);

    private enum Shape { ENTRIES, COUNT, INFO, NAMES, DOCS }

    private ServedCommands() {}

    static boolean served(ByteBuf b, int off, int len) {
        CommandSpec spec = CommandTable.get().lookup(b, off, len);
        return spec != null && spec.kind() != CommandKind.UNSUPPORTED;
    }

    static void handle(ClientSession s, Command c, LocalBackend backend) {
        String sub = c.argc() > 1 ? c.argString(1).toUpperCase(Locale.ROOT) : "";
        Shape shape = switch (sub) {
            case "" -> Shape.ENTRIES;
            case "COUNT" -> Shape.COUNT;
            case "INFO" -> Shape.INFO;
            case "LIST" -> Shape.NAMES;
            case "DOCS" -> Shape.DOCS;
            default -> null;
        };
        ByteBufAllocator alloc = s.channel().alloc();
        ByteBuf cmd;
        if (shape == Shape.COUNT) {
            cmd = RespWriter.command(alloc, "COMMAND");
            c.release();
        } else {
            cmd = c.detachRaw();
        }
        ReplyTarget target = shape == null ? c : new ReplyTarget() {
            @Override
            public void complete(ByteBuf reply) {
                ByteBuf result;
                try {
                    result = Parts.isError(reply) ? reply.retain() : filter(alloc, reply, shape);
                } catch (RespProtocolException | RuntimeException e) {
                    result = Replies.error(alloc, "ERR unexpected COMMAND reply from a backend: " + e.getMessage());
                } finally {
                    reply.release();
                }
                c.complete(result);
            }

            @Override
            public boolean isCancelled() {
                return c.isCancelled();
            }
        };
        s.loop().group(backend).connection(s.id()).send(cmd, target);
    }

    private static ByteBuf filter(ByteBufAllocator alloc, ByteBuf r, Shape shape) throws RespProtocolException {
        int pos = r.readerIndex();
        if (r.getByte(pos) != '*') {
            throw new IllegalStateException(Parts.firstLine(r));
        }
        long n = Parts.lineNumber(r, pos);
        pos = Parts.lineEnd(r, pos);
        ReplyFramer framer = new ReplyFramer(LIMITS);
        ByteBuf body = alloc.buffer(r.readableBytes());
        int kept = 0;
        try {
            for (long i = 0; i < n; i++) {
                int len = frame(framer, r, pos);
                boolean keep;
                int extra = 0;
                if (shape == Shape.NAMES || shape == Shape.DOCS) {
                    keep = served(r, Parts.lineEnd(r, pos), (int) Parts.lineNumber(r, pos));
                    if (shape == Shape.DOCS) {
                        extra = frame(framer, r, pos + len);
                        i++;
                    }
                } else if (r.getByte(pos) == '*' && r.getByte(pos + 1) != '-') {
                    int name = Parts.lineEnd(r, pos);
                    keep = served(r, Parts.lineEnd(r, name), (int) Parts.lineNumber(r, name));
                } else {
                    keep = shape == Shape.INFO; // COMMAND INFO's nil for an unknown name stays
                }
                if (keep) {
                    body.writeBytes(r, pos, len + extra);
                    kept++;
                } else if (shape == Shape.INFO) {
                    RespWriter.nilArray(body);
                    kept++;
                }
                pos += len + extra;
            }
            if (shape == Shape.COUNT) {
                return Replies.integer(alloc, kept);
            }
            ByteBuf out = alloc.buffer(body.readableBytes() + 16);
            RespWriter.arrayHeader(out, shape == Shape.DOCS ? kept * 2 : kept);
            return out.writeBytes(body);
        } finally {
            body.release();
        }
    }

    private static int frame(ReplyFramer framer, ByteBuf r, int pos) throws RespProtocolException {
        framer.reset();
        int len = framer.frame(r.slice(pos, r.writerIndex() - pos));
        if (len <= 0) {
            throw new IllegalStateException("truncated reply");
        }
        return len;
    }
}
