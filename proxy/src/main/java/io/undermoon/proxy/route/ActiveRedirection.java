package io.undermoon.proxy.route;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;

/**
 * Active redirection (active_redirection = true): instead of MOVED, the proxy sends the command to
 * the peer proxy that owns its slot and relays the reply. With a hop limit (max_redirections) the
 * command travels as {@code UMFORWARD <hops left> <command...>}, which the peer unwraps here.
 */
final class ActiveRedirection {
    private final CommandRouter router;
    private final int maxRedirections;

    ActiveRedirection(CommandRouter router, int maxRedirections) {
        this.router = router;
        this.maxRedirections = maxRedirections;
    }

    /** Sends the command to {@code peer}; its reply is the client's. */
    void forward(ClientSession s, Command c, String peer) {
        int times = c.redirectTimes() >= 0 ? c.redirectTimes() : (maxRedirections == 0 ? -1 : maxRedirections - 1);
        if (times == 0) {
            c.complete(Replies.error(s.channel().alloc(), "ERR_TOO_MANY_REDIRECTIONS"));
            return;
        }
        s.loop().stats().forwarded++;
        int argc = c.argc();
        ByteBuf raw = c.detachRaw();
        ByteBuf payload;
        if (times < 0) {
            payload = raw;
        } else {
            ByteBuf header = s.channel().alloc().buffer(32);
            RespWriter.arrayHeader(header, argc + 2);
            RespWriter.bulk(header, "UMFORWARD");
            RespWriter.bulk(header, Integer.toString(times - 1));
            int bodyStart = raw.indexOf(raw.readerIndex(), raw.writerIndex(), (byte) '\n') + 1;
            CompositeByteBuf composite = s.channel().alloc().compositeBuffer(2);
            composite.addComponent(true, header);
            composite.addComponent(true, raw.retainedSlice(bodyStart, raw.writerIndex() - bodyStart));
            raw.release();
            payload = composite;
        }
        var conn = s.loop().groupFor(peer).connection(s.id());
        if (c.trace() != null) {
            c.trace().mark(io.undermoon.proxy.reply.SlowTrace.SENT_TO_QUEUE);
            conn.traceNext(c.trace());
        }
        conn.send(payload, c);
    }

    /** {@code UMFORWARD <n> <command...>} from a peer proxy: runs the inner data command with n hops left. */
    void umforward(ClientSession s, Command c) {
        long n = c.argLong(1);
        if (n < 0) {
            c.complete(Replies.error(s.channel().alloc(), "invalid redirection times"));
            return;
        }
        c.unwrap(2, s.channel().alloc());
        c.setRedirectTimes((int) Math.min(n, ProxyConfig.MAX_REDIRECTIONS_LIMIT));
        CommandSpec spec = router.lookup(c);
        if (spec == null) {
            router.unknownCommand(s, c);
            return;
        }
        c.setSpec(spec);
        router.dispatchForwarded(s, c, spec);
    }
}
