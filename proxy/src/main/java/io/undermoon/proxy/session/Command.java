package io.undermoon.proxy.session;

import io.netty.buffer.ByteBuf;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.ReplyFilter;
import io.undermoon.proxy.reply.ReplyTarget;
import io.undermoon.proxy.reply.SlowTrace;
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
    /** the stage timestamps when sampled for the slow log, else null. */
    SlowTrace trace;
    /** for blocking commands: how long the command may block, 0 = forever. */
    long blockTimeoutMillis;
    /** runs on a dedicated connection (a blocking command). */
    boolean blocking;
    /** hops left for active redirection, from UMFORWARD; -1 when the command came from a client. */
    int redirectTimes = -1;
    /** set for a part of a command the proxy split (proxy mode): the part's reply goes here. */
    ReplyTarget partOf;
    /** changes the reply before it is queued (value decompression, compress/ValueCompression), or null. */
    ReplyFilter replyFilter;

    @Override
    public void complete(ByteBuf reply) {
        if (partOf != null) {
            ReplyFilter f = replyFilter; // a part of a split MGET is decompressed before the merge
            if (f != null) {
                reply = f.filter(reply);
            }
            release();
            partOf.complete(reply);
            return;
        }
        if (trace != null) {
            trace.replied();
        }
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
        return partOf != null ? partOf.isCancelled() : session == null;
    }

    /**
     * Makes this request a part of {@code whole} (split by the proxy in proxy mode): it is routed like
     * a command of the same session and hop count, and its reply goes to {@code target}.
     */
    public void makePartOf(Command whole, CommandSpec spec, int redirectTimes, ReplyTarget target) {
        this.session = whole.session;
        this.spec = spec;
        this.redirectTimes = redirectTimes;
        this.partOf = target;
    }

    public CommandSpec spec() {
        return spec;
    }

    public void setSpec(CommandSpec spec) {
        this.spec = spec;
    }

    /** Times this command for the slow log: {@code text} is what the log shows. */
    public void sampleForSlowLog(long startNanos, String text) {
        this.trace = new SlowTrace(startNanos, text);
    }

    /** The slow-log stage timestamps, or null when this command is not sampled. */
    public SlowTrace trace() {
        return trace;
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
