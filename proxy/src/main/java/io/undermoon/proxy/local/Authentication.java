package io.undermoon.proxy.local;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.command.CommandKind;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;
import java.util.Locale;

/**
 * Who may run what. A session must AUTH first when the proxy has a password (only AUTH, HELLO and
 * QUIT pass before); a data command also needs the password of the proxy's current cluster, if it
 * has one: checked on every data command (a field read and a reference compare), so a session
 * authenticated for a cluster its proxy has since left (a shared pool hands proxies from cluster to
 * cluster) is refused rather than served the new cluster's data. Also answers AUTH and HELLO.
 */
public final class Authentication {
    static final String CLUSTER_NOAUTH =
            "NOAUTH Authentication required: this proxy's cluster has a password (AUTH <cluster password>)";

    private final ProxyContext proxy;

    Authentication(ProxyContext proxy) {
        this.proxy = proxy;
    }

    /** True when the session may run the command now. */
    public boolean allows(ClientSession s, CommandSpec spec) {
        if (!s.isAuthenticated() && !exempt(spec)) {
            return false;
        }
        return spec.kind() == CommandKind.LOCAL || spec.kind() == CommandKind.UNSUPPORTED || clusterAuthOk(s);
    }

    /** The error for a command that {@link #allows} refused. */
    public ByteBuf refusal(ClientSession s, CommandSpec spec) {
        return !s.isAuthenticated() && !exempt(spec) ? Replies.of(Replies.NOAUTH)
                : Replies.error(s.channel().alloc(), CLUSTER_NOAUTH);
    }

    private static boolean exempt(CommandSpec spec) {
        String n = spec.name();
        return n.equals("AUTH") || n.equals("HELLO") || n.equals("QUIT");
    }

    /**
     * Whether the session may run data commands on the proxy's current cluster: always when the
     * cluster has no password, else only after an AUTH with that very password.
     */
    private boolean clusterAuthOk(ClientSession s) {
        String required = proxy.meta().table().config().password();
        if (required.isEmpty()) {
            return true;
        }
        String given = s.authPassword();
        if (given == required) {
            return true;
        }
        if (required.equals(given)) {
            s.setAuthPassword(required); // the table's instance: next time a reference compare
            return true;
        }
        return false;
    }

    /**
     * The password {@code password} matches: the proxy's own, or the current cluster's (our
     * extension, see ClusterConfig); null when it matches neither.
     */
    private String checkPassword(String user, String password) {
        if (user != null && !user.equals("default")) {
            return null;
        }
        String own = proxy.config().password().orElse(null);
        if (own != null && own.equals(password)) {
            return own;
        }
        String cluster = proxy.meta().table().config().password();
        return !cluster.isEmpty() && cluster.equals(password) ? cluster : null;
    }

    void auth(ClientSession s, Command c, ByteBufAllocator alloc) {
        if (proxy.config().password().isEmpty() && !proxy.meta().table().config().hasPassword()) {
            c.complete(Replies.error(alloc, "ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?"));
            return;
        }
        if (c.argc() > 3) {
            c.complete(Replies.error(alloc, "ERR syntax error"));
            return;
        }
        String user = c.argc() == 3 ? c.argString(1) : null;
        String password = c.argString(c.argc() - 1);
        String matched = checkPassword(user, password);
        if (matched != null) {
            s.setAuthenticated(true);
            s.setAuthPassword(matched);
            c.complete(Replies.of(Replies.OK));
        } else {
            c.complete(Replies.error(alloc, "WRONGPASS invalid username-password pair or user is disabled."));
        }
    }

    void hello(ClientSession s, Command c, ByteBufAllocator alloc) {
        int i = 1;
        if (c.argc() > 1) {
            long proto = c.argLong(1);
            if (proto == Long.MIN_VALUE) {
                c.complete(Replies.error(alloc, "ERR Protocol version is not an integer or out of range"));
                return;
            }
            if (proto != 2) {
                c.complete(Replies.error(alloc, "NOPROTO sorry, this protocol version is not supported"));
                return;
            }
            i = 2;
        }
        boolean authOk = s.isAuthenticated();
        String matched = null;
        String name = null;
        for (; i < c.argc(); i++) {
            String opt = c.argString(i).toUpperCase(Locale.ROOT);
            if (opt.equals("AUTH") && i + 2 < c.argc()) {
                matched = checkPassword(c.argString(i + 1), c.argString(i + 2));
                if (matched == null) {
                    c.complete(Replies.error(alloc, "WRONGPASS invalid username-password pair or user is disabled."));
                    return;
                }
                authOk = true;
                i += 2;
            } else if (opt.equals("SETNAME") && i + 1 < c.argc()) {
                name = c.argString(i + 1);
                i += 1;
            } else {
                c.complete(Replies.error(alloc, "ERR Syntax error in HELLO option '" + c.argString(i) + "'"));
                return;
            }
        }
        if (!authOk) {
            c.complete(Replies.error(alloc, "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time"));
            return;
        }
        s.setAuthenticated(true);
        if (matched != null) {
            s.setAuthPassword(matched);
        }
        if (name != null) {
            s.setClientName(name);
        }
        ByteBuf b = alloc.buffer(256);
        RespWriter.arrayHeader(b, 14);
        RespWriter.bulk(b, "server");
        RespWriter.bulk(b, "redis");
        RespWriter.bulk(b, "version");
        RespWriter.bulk(b, LocalCommands.REDIS_VERSION);
        RespWriter.bulk(b, "proto");
        RespWriter.integer(b, 2);
        RespWriter.bulk(b, "id");
        RespWriter.integer(b, s.id());
        RespWriter.bulk(b, "mode");
        RespWriter.bulk(b, "cluster");
        RespWriter.bulk(b, "role");
        RespWriter.bulk(b, "master");
        RespWriter.bulk(b, "modules");
        RespWriter.arrayHeader(b, 0);
        c.complete(b);
    }
}
