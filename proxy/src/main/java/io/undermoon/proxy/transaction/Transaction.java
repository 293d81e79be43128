package io.undermoon.proxy.transaction;

import io.netty.buffer.ByteBuf;
import io.undermoon.proxy.backend.BackendConnection;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.session.SessionMode;

/**
 * The transaction state of one session: WATCHed slot and held connection, and between MULTI and
 * EXEC the queued commands (their bytes copied into one buffer, bounded by max_transaction_commands
 * and max_transaction_bytes). Lives only on the session's event loop.
 */
final class Transaction implements SessionMode {
    /** No slot yet. */
    static final int NONE = -1;

    private final Transactions owner;
    boolean inMulti;
    /** An error while queueing: EXEC answers EXECABORT. */
    boolean dirty;
    /** Queued keys (or queued and WATCHed keys) of more than one slot: EXEC answers CROSSSLOT. */
    boolean crossSlot;
    int slot = NONE;
    int watchSlot = NONE;
    ByteBuf body;
    int count;
    /** The connection the WATCH ran on (then EXEC runs there too), or null. */
    BackendConnection held;
    /** The held connection dropped: its WATCH is gone. */
    boolean heldLost;

    Transaction(Transactions owner) {
        this.owner = owner;
    }

    @Override
    public boolean intercept(ClientSession s, Command c, CommandSpec spec) {
        return inMulti && owner.queue(s, this, c, spec);
    }

    /** Notes the slot of a queued command's keys. */
    void addSlot(int commandSlot) {
        if (slot == NONE) {
            slot = commandSlot;
        } else if (slot != commandSlot) {
            crossSlot = true;
        }
    }

    /** The slot the transaction runs in, or NONE when it has no key. */
    int targetSlot() {
        return slot != NONE ? slot : watchSlot;
    }

    boolean watching() {
        return held != null;
    }

    void hold(BackendConnection c) {
        held = c;
        heldLost = false;
        c.onLost(() -> heldLost = true);
    }

    /** Drops the queued commands (the MULTI part); the WATCH part stays. */
    void clearQueue() {
        inMulti = false;
        dirty = false;
        crossSlot = false;
        slot = NONE;
        count = 0;
        if (body != null) {
            body.release();
            body = null;
        }
    }

    /** Everything ends except a held connection, which the caller releases or closes. */
    void clearAll() {
        clearQueue();
        watchSlot = NONE;
        held = null;
        heldLost = false;
    }

    boolean idle() {
        return !inMulti && held == null;
    }

    @Override
    public void sessionClosed(ClientSession s) {
        BackendConnection h = held;
        clearAll();
        if (h != null) {
            // closing the connection ends its WATCH (and any MULTI) in Redis
            h.closeForCancelledCommand();
        }
    }
}
