package io.undermoon.proxy.route;

import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import java.nio.charset.StandardCharsets;

/**
 * Blocking commands (BLPOP, BRPOP, BLMOVE, BZPOPMIN, XREAD/XREADGROUP with BLOCK...): each runs on
 * a backend connection of its own with its real timeout, once every command before it has been
 * answered; meanwhile the session sends nothing else, as a blocked Redis client would.
 */
final class BlockingCommands {
    private static final byte[] BLOCK = "BLOCK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAMS = "STREAMS".getBytes(StandardCharsets.US_ASCII);

    private final CommandRouter router;

    BlockingCommands(CommandRouter router) {
        this.router = router;
    }

    /** XREAD/XREADGROUP: blocking when BLOCK comes before STREAMS. */
    static boolean hasBlockOption(Command c) {
        for (int i = 1; i < c.argc(); i++) {
            if (c.argEqualsIgnoreCase(i, STREAMS)) {
                return false;
            }
            if (c.argEqualsIgnoreCase(i, BLOCK)) {
                return true;
            }
        }
        return false;
    }

    /** Checks the command and its timeout; sends it now if it is the oldest unanswered command, else later. */
    void start(ClientSession s, Command c, CommandSpec spec) {
        long timeout = blockTimeoutMillis(c, spec);
        if (timeout < 0) {
            c.complete(Replies.error(s.channel().alloc(), timeout == -1 ? "ERR timeout is not a float or out of range"
                    : "ERR timeout is negative"));
            return;
        }
        int slot = router.slotOrReply(s, c, spec);
        if (slot == -2) {
            return;
        }
        if (slot == KeyFinder.NO_KEY) {
            c.complete(Replies.of(Replies.NO_KEY));
            return;
        }
        c.markBlocking(timeout);
        // a blocked client sends nothing else: later commands wait, earlier ones finish first
        if (s.runAloneWhenHead(c)) {
            send(s, c);
        }
    }

    /** Sends a blocking command on a connection of its own, once it is the oldest unanswered command. */
    void send(ClientSession s, Command c) {
        int slot = KeyFinder.slot(c, c.spec());
        RouteTable t = router.table();
        Route r = t.hasCluster() ? t.route(slot) : null;
        if (r instanceof Route.Migrating m) {
            // a blocked command must not hold up the switch: it is not counted as in flight
            if (m.task().serveLocally()) {
                m.task().done();
                router.forwardLocal(s, c, m.backend(), c);
                return;
            }
        }
        router.route(s, c, t, slot);
    }

    /** The command's timeout in ms (0 = forever), -1 when not a number, -2 when negative. */
    static long blockTimeoutMillis(Command c, CommandSpec spec) {
        String name = spec.name();
        if (spec.streams()) {
            for (int i = 1; i + 1 < c.argc(); i++) {
                if (c.argEqualsIgnoreCase(i, BLOCK)) {
                    long ms = c.argLong(i + 1);
                    return ms == Long.MIN_VALUE ? -1 : ms < 0 ? -2 : ms;
                }
            }
            return 0;
        }
        int idx = name.equals("BLMPOP") || name.equals("BZMPOP") ? 1 : c.argc() - 1;
        double seconds;
        try {
            seconds = Double.parseDouble(c.argString(idx));
        } catch (NumberFormatException e) {
            return -1;
        }
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return -1;
        }
        if (seconds < 0) {
            return -2;
        }
        return (long) Math.ceil(seconds * 1000);
    }
}
