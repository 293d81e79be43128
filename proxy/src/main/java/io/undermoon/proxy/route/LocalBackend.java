package io.undermoon.proxy.route;

/**
 * A Redis instance beside this proxy. {@code id} is unique per address for the life of the process
 * and indexes the per-event-loop connection groups.
 *
 * <p>{@link #awaitingPromotion()} is true while SETREPL has made this Redis a master but the
 * proxy has not yet seen it accept {@code REPLICAOF NO ONE}: until then it may still be a replica,
 * so the proxy does not serve its slots (clients get TRYAGAIN and retry).
 */
public final class LocalBackend {
    private final String address;
    private final int id;
    private volatile boolean awaitingPromotion;

    public LocalBackend(String address, int id) {
        this.address = address;
        this.id = id;
    }

    public String address() {
        return address;
    }

    public int id() {
        return id;
    }

    public boolean awaitingPromotion() {
        return awaitingPromotion;
    }

    public void setAwaitingPromotion(boolean awaiting) {
        this.awaitingPromotion = awaiting;
    }

    @Override
    public String toString() {
        return address + "#" + id;
    }
}
