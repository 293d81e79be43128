package io.undermoon.proxy.meta;

import io.undermoon.model.umctl.SetReplArgs;
import java.util.function.Consumer;

/**
 * The replication roles set with UMCTL SETREPL, with their own epoch (independent of SETCLUSTER's).
 * Acting on them (REPLICAOF on the local Redis) is the listener's job.
 */
public final class ReplicationState {
    private final Consumer<SetReplArgs> listener;
    private long epoch;
    private volatile SetReplArgs current;

    public ReplicationState(Consumer<SetReplArgs> listener) {
        this.listener = listener;
    }

    /** Accepts the new roles when the epoch is newer (or forced); false means OLD_EPOCH. */
    public synchronized boolean set(SetReplArgs args) {
        if (!args.flags().force() && args.epoch() <= epoch) {
            return false;
        }
        epoch = args.epoch();
        current = args;
        listener.accept(args);
        return true;
    }

    public synchronized long epoch() {
        return epoch;
    }

    /** The last accepted roles, or null. */
    public SetReplArgs current() {
        return current;
    }
}
