package io.undermoon.proxy.command;

/** How the proxy handles a command. */
public enum CommandKind {
    /** Keyed data command: forwarded whole to the owner of its keys, which must share one slot. */
    KEYED,
    /** Keyed and blocking: forwarded on a dedicated backend connection. */
    BLOCKING,
    /** Answered by the proxy itself. */
    LOCAL,
    /** Keyless server command sent to every local master; the first reply (or first error) wins. */
    FANOUT_FIRST,
    /** Keyless server command sent to every local master; integer replies are summed. */
    FANOUT_SUM,
    /** Keyless server command sent to every local master; array replies are concatenated. */
    FANOUT_CONCAT,
    /** Keyless command run on one local master (SCAN, RANDOMKEY, COMMAND, ...). */
    ANY_MASTER,
    /** MULTI, EXEC, DISCARD, WATCH, UNWATCH: {@code transaction.Transactions}. */
    TRANSACTION,
    /** (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, PUBSUB: {@code pubsub.PubSub}. */
    PUBSUB,
    /** Refused with an explanation. */
    UNSUPPORTED,
}
