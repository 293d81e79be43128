package io.undermoon.proxy.meta;

import io.undermoon.model.umctl.ReplStatus;
import io.undermoon.model.umctl.SetReplArgs;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The replication roles set with UMCTL SETREPL, with their own epoch (independent of SETCLUSTER's).
 * Acting on them (REPLICAOF on the local Redis) is the listener's job.
 */
public final class ReplicationState {
    private final Consumer<SetReplArgs> listener;
    private long epoch;
    private volatile SetReplArgs current;
    private volatile Supplier<List<ReplStatus>> statusSource = List::of;

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

    /** Where {@link #statuses()} comes from (the replication manager that acts on the roles). */
    public void setStatusSource(Supplier<List<ReplStatus>> source) {
        this.statusSource = source;
    }

    /** What is known of each local node's replication ({@code UMCTL REPLSTATUS}, metrics). */
    public List<ReplStatus> statuses() {
        return statusSource.get();
    }

    /** The last accepted roles, or null. */
    public SetReplArgs current() {
        return current;
    }
}
