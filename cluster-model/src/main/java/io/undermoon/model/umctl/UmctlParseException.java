package io.undermoon.model.umctl;

import java.util.Objects;

/**
 * A UMCTL argument list that does not follow the grammar. {@link #reason()} is the wire-visible
 * kind (the proxy answers {@code -Failed to parse args: <reason>} for SETCLUSTER); the message is
 * a human-readable detail for logs only and is never part of a reply.
 */
public final class UmctlParseException extends Exception {

    /**
     * The kind of failure. The constant names are the wire text (the reference's error kinds), so
     * {@code reason.name()} is what a reply prints.
     */
    public enum Reason {
        /** Anything else: a missing or stray token, a bad number, count, range, config or payload. */
        InvalidArgs,
        /** The SETCLUSTER API version token is not {@code v2}. */
        InvalidVersion,
        /** A cluster name with a character outside {@code [A-Za-z0-9@_-]} or longer than 31 bytes. */
        InvalidClusterName,
        /**
         * A migration task (PRECHECK/PRESWITCH/FINALSWITCH arguments, an INFOMGR line) parsed
         * correctly but carries a stable range, which is not a migration. The proxy answers
         * {@code -Invalid Arg}; the coordinator skips such an INFOMGR line.
         */
        StableRange,
    }

    private final Reason reason;

    public UmctlParseException(Reason reason, String detail) {
        super(reason.name() + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    static UmctlParseException invalidArgs(String detail) {
        return new UmctlParseException(Reason.InvalidArgs, detail);
    }
}
