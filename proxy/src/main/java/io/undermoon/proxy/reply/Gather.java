package io.undermoon.proxy.reply;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Collects the replies of the parts of one command (sent to several backends) and answers the
 * whole once every part has answered: an error reply from any part is the answer, otherwise what
 * {@link #combine()} makes of them. Every part's reply is released afterwards. Runs on the event
 * loop of the client's session, so no field needs more than plain access.
 */
public abstract class Gather {
    private final ReplyTarget whole;
    protected final ByteBuf[] replies;
    protected final ByteBufAllocator alloc;
    private int missing;

    protected Gather(ReplyTarget whole, int parts, ByteBufAllocator alloc) {
        this.whole = whole;
        this.replies = new ByteBuf[parts];
        this.alloc = alloc;
        this.missing = parts;
    }

    /** Where part {@code i}'s reply goes. */
    public final ReplyTarget part(int i) {
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
                return whole.isCancelled();
            }
        };
    }

    /**
     * The whole's reply from the parts' (none of them an error). A reply of an unexpected shape is
     * a {@link RuntimeException} whose message names it: the client gets
     * {@code ERR unexpected reply from a backend: <message>}.
     */
    protected abstract ByteBuf combine();

    private void finish() {
        ByteBuf result = null;
        try {
            for (ByteBuf r : replies) {
                if (r.getByte(r.readerIndex()) == '-') {
                    result = r.retain();
                    return;
                }
            }
            result = combine();
        } catch (RuntimeException e) {
            result = Replies.error(alloc, "ERR unexpected reply from a backend: " + e.getMessage());
        } finally {
            for (ByteBuf r : replies) {
                r.release();
            }
            whole.complete(result);
        }
    }
}
