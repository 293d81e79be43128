package io.undermoon.proxy.reply;

import io.netty.buffer.ByteBuf;

/**
 * Changes a backend's reply before the client gets it (value decompression). Called on the
 * command's event loop; takes ownership of {@code reply} and returns the reply to send (the same
 * buffer when nothing changes).
 */
public interface ReplyFilter {
    ByteBuf filter(ByteBuf reply);

    /** Leaves every reply as it is (marks a command that needs no filter as already looked at). */
    ReplyFilter NONE = reply -> reply;
}
