package io.undermoon.proxy.session;

import io.netty.buffer.ByteBuf;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.ReplyFilter;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.resp.Request;

/**
 * A client request in flight: the decoded request plus what the session needs to answer it in
 * order. One object per command; it is also the pending-reply record in the session's queue and
 * the target of the backend's reply.
 */
public final class Command extends Request implements ReplyTarget {
    ClientSession session;
    ByteBuf reply;
    CommandSpec spec;
    /** set for a blocking command that waits for the commands before it. */
    boolean deferred;
    /** nanoTime when sampled for the slow log, else 0. */
    long startNanos;
    String slowlogText;
    /** for blocking commands: how long the command may block, 0 = forever. */
    long blockTimeoutMillis;
    /** runs on a dedicated connection (a blocking command). */
    boolean blocking;
    /** hops left for active redirection, from UMFORWARD; -1 when the command came from a client. */
    int redirectTimes = -1;
    /** changes the reply before it is queued (value decompression, compress/ValueCompression), or null. */
    ReplyFilter replyFilter;

    @Override
    public void complete(ByteBuf reply) {
        ClientSession s = session;
        if (s == null || this.reply != null) {
            reply.release();
            return;
        }
        ReplyFilter f = replyFilter;
        if (f != null) {
            reply = f.filter(reply);
        }
        this.reply = reply;
        s.onCommandDone(this);
    }

    @Override
    public boolean isCancelled() {
        return session == null;
    }

    public CommandSpec spec() {
        return spec;
    }

    public void setSpec(CommandSpec spec) {
        this.spec = spec;
    }

    /** Times this command for the slow log: {@code text} is what the log shows. */
    public void sampleForSlowLog(long startNanos, String text) {
        this.startNanos = startNanos;
        this.slowlogText = text;
    }

    /** Runs on a dedicated connection, blocking for at most {@code timeoutMillis} (0 = forever). */
    public void markBlocking(long timeoutMillis) {
        this.blocking = true;
        this.blockTimeoutMillis = timeoutMillis;
    }

    public boolean isBlocking() {
        return blocking;
    }

    public long blockTimeoutMillis() {
        return blockTimeoutMillis;
    }

    /** Hops left for active redirection (from UMFORWARD), or -1 for a command from a client. */
    public int redirectTimes() {
        return redirectTimes;
    }

    public void setRedirectTimes(int redirectTimes) {
        this.redirectTimes = redirectTimes;
    }

    /** The filter of this command's reply, or null (none set yet). */
    public ReplyFilter replyFilter() {
        return replyFilter;
    }

    public void setReplyFilter(ReplyFilter filter) {
        this.replyFilter = filter;
    }

    public ClientSession session() {
        return session;
    }

    /** Drops everything this command holds; a late reply will be released on arrival. */
    void cancel() {
        session = null;
        release();
        ByteBuf r = reply;
        if (r != null) {
            reply = null;
            r.release();
        }
    }
}
