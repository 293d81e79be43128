package io.undermoon.proxy.meta;

/**
 * The replication roles set with UMCTL SETREPL, with their own epoch (independent of SETCLUSTER's).
 * Acting on them (REPLICAOF on the local Redis) is done by a {@link Listener}.
 */
public final class ReplicationState {
    /** Receives each accepted SETREPL. */
    public interface Listener {
        void onChange(Object setReplArgs);
    }

    private long epoch;
    private volatile Object current;
    private final Listener listener;

    public ReplicationState(Listener listener) {
        this.listener = listener;
    }

    /** Accepts the new roles when the epoch is newer (or forced); false for OLD_EPOCH. */
    public synchronized boolean set(long newEpoch, boolean force, Object args) {
        if (!force && newEpoch <= epoch) {
            return false;
        }
        epoch = newEpoch;
        current = args;
        listener.onChange(args);
        return true;
    }

    public synchronized long epoch() {
        return epoch;
    }

    public Object current() {
        return current;
    }
}
