package io.undermoon.coordinator.broker;

/** A broker call that did not succeed; {@link #kind()} says how. */
public final class BrokerCallException extends Exception {

    /** How a call failed. */
    public enum Kind {
        /** The broker address list is empty. */
        NO_BROKER,
        /** Connecting, sending or receiving failed, or the call timed out. */
        IO,
        /** The broker answered 409: try again later (failover, commit). */
        RETRY,
        /**
         * Ours: the broker refused the change and changed nothing (a failover that would promote a
         * replica that has not synced: 409 REPLICA_NOT_SYNCED). The message is the broker's reason.
         */
        REFUSED,
        /** The broker answered with a status the call does not accept. */
        STATUS,
        /** The body could not be read as the expected JSON. */
        INVALID_REPLY,
        /** The request could not be built (an address or name that does not fit in a URL). */
        INVALID_REQUEST
    }

    private final Kind kind;

    public BrokerCallException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BrokerCallException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
