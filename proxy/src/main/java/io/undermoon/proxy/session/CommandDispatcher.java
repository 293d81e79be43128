package io.undermoon.proxy.session;

/**
 * Where a session hands its decoded commands: decides what happens to each one and makes sure that,
 * sooner or later, {@link Command#complete} is called with its reply. Called on the session's
 * event loop. The proxy's implementation is {@code route.CommandRouter}.
 */
public interface CommandDispatcher {
    /** A command just decoded, already queued for its reply in request order. */
    void dispatch(ClientSession s, Command c);

    /**
     * A blocking command that waited for the replies before it ({@link ClientSession#setBlocked}
     * with {@code deferred}) is now the oldest unanswered one: send it.
     */
    void dispatchDeferred(ClientSession s, Command c);
}
