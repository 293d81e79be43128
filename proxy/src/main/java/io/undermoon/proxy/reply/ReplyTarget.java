package io.undermoon.proxy.reply;

import io.netty.buffer.ByteBuf;

/** Receives the reply of one command sent to a backend. Called on the owner's event loop. */
public interface ReplyTarget {
    /** Takes ownership of {@code reply} (a whole RESP frame, possibly an error). */
    void complete(ByteBuf reply);

    /** True when nobody waits for the reply any more (the client went away). */
    default boolean isCancelled() {
        return false;
    }
}
