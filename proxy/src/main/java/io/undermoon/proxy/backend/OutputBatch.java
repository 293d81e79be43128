package io.undermoon.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The messages written to one channel since its last flush, gathered so that a flush hands the
 * socket one buffer instead of one channel write per command: each channel write walks the
 * pipeline and adds an entry to Netty's outbound buffer, and each entry becomes a separate piece of
 * the kernel's writev. The first message is kept as it is (a lone reply or request is not copied);
 * from the second on, small messages are copied into one buffer and released. A large message is
 * never copied: what is gathered so far is written before it, so the order is kept. Not
 * thread-safe: the channel's event loop only.
 */
public final class OutputBatch {
    /** Messages up to this size are copied into the batch; larger ones are written as they are. */
    static final int COPY_LIMIT = 1024;
    /** A batch buffer is written out (not flushed) once it holds this much. */
    static final int MAX_BATCH = 64 * 1024;

    private ByteBuf pending;
    /** True when {@link #pending} is a buffer of ours that gathers copies, false for a caller's message. */
    private boolean gathering;

    /** Adds {@code msg} (taking ownership) after the messages already in the batch. */
    public void add(Channel ch, ByteBuf msg) {
        int n = msg.readableBytes();
        ByteBuf p = pending;
        if (p == null) {
            if (n <= COPY_LIMIT) {
                pending = msg;
                gathering = false;
            } else {
                ch.write(msg, ch.voidPromise());
            }
            return;
        }
        if (n > COPY_LIMIT || p.readableBytes() + n > MAX_BATCH) {
            writePending(ch);
            add(ch, msg);
            return;
        }
        if (!gathering) {
            ByteBuf batch = ch.alloc().directBuffer(Math.max(256, 4 * (p.readableBytes() + n)), MAX_BATCH);
            batch.writeBytes(p, p.readerIndex(), p.readableBytes());
            p.release();
            pending = p = batch;
            gathering = true;
        }
        try {
            p.writeBytes(msg, msg.readerIndex(), n);
        } finally {
            msg.release();
        }
    }

    /** True when nothing waits in the batch. */
    public boolean isEmpty() {
        return pending == null;
    }

    /** Writes what the batch holds to the channel (without flushing it). */
    public void writePending(Channel ch) {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            ch.write(p, ch.voidPromise());
        }
    }

    /** Drops what the batch holds (the channel is gone). */
    public void discard() {
        ByteBuf p = pending;
        if (p != null) {
            pending = null;
            p.release();
        }
    }
}
