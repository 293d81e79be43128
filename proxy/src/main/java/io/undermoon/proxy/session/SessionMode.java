package io.undermoon.proxy.session;

import io.undermoon.proxy.command.CommandSpec;

/**
 * A state a session is in for a while (a transaction, a subscription), which sees each command
 * before the router does. A session without one pays a single field check per command.
 */
public interface SessionMode {
    /**
     * Handles {@code c} (its {@code spec} is null for an unknown command) instead of the router and
     * returns true, or returns false to let the router go on as usual.
     */
    boolean intercept(ClientSession s, Command c, CommandSpec spec);

    /** True when session_timeout must not close an idle session in this mode (a subscriber waits for messages). */
    default boolean exemptFromIdleTimeout() {
        return false;
    }

    /** The client went away: release what the mode holds. Called once, on the session's loop. */
    void sessionClosed(ClientSession s);
}
