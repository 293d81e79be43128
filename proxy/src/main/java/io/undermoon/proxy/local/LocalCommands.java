package io.undermoon.proxy.local;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.model.SlotHash;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.SlowLog;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Commands the proxy answers itself: connection, server and CLUSTER commands. */
public final class LocalCommands {
    /** Handles the meta commands (UMCTL, UMSYNC, UMFORWARD). */
    public interface MetaCommands {
        void handle(ClientSession s, Command c, CommandSpec spec);
    }

    public static final String VERSION = "0.6.2";
    static final String REDIS_VERSION = "7.0.0";

    private final ProxyContext proxy;
    private final MetaCommands meta;
    private final Authentication auth;

    public LocalCommands(ProxyContext proxy, MetaCommands meta) {
        this.proxy = proxy;
        this.meta = meta;
        this.auth = new Authentication(proxy);
    }

    /** Who may run what: the passwords, AUTH and HELLO. */
    public Authentication authentication() {
        return auth;
    }

    public void handle(ClientSession s, Command c, CommandSpec spec) {
        ByteBufAllocator alloc = s.channel().alloc();
        switch (spec.name()) {
            case "PING" -> {
                if (c.argc() == 1) {
                    reply(c, Replies.of(Replies.PONG));
                } else if (c.argc() == 2) {
                    reply(c, bulkArg(alloc, c, 1));
                } else {
                    reply(c, Replies.error(alloc, "ERR wrong number of arguments for 'ping' command"));
                }
            }
            case "ECHO" -> reply(c, bulkArg(alloc, c, 1));
            case "QUIT" -> {
                reply(c, Replies.of(Replies.OK));
                s.closeAfterReplies();
            }
            case "AUTH" -> auth.auth(s, c, alloc);
            case "HELLO" -> auth.hello(s, c, alloc);
            case "SELECT" -> reply(c, "0".equals(c.argString(1)) ? Replies.of(Replies.OK)
                    : Replies.error(alloc, "ERR SELECT is not allowed in cluster mode"));
            case "ASKING", "READONLY", "READWRITE" -> reply(c, Replies.of(Replies.OK));
            case "CLIENT" -> client(s, c, alloc);
            case "INFO" -> reply(c, Replies.bulk(alloc, info()));
            case "CONFIG" -> config(c, alloc);
            case "CLUSTER" -> cluster(c, alloc);
            case "SLOWLOG" -> slowlog(c, alloc);
            default -> meta.handle(s, c, spec);
        }
    }

    static void reply(Command c, ByteBuf b) {
        c.complete(b);
    }

    private static ByteBuf bulkArg(ByteBufAllocator alloc, Command c, int i) {
        ByteBuf b = alloc.buffer(c.argLength(i) + 16);
        RespWriter.bulkHeader(b, c.argLength(i));
        b.writeBytes(c.raw(), c.argOffset(i), c.argLength(i));
        return b.writeByte('\r').writeByte('\n');
    }

    // ---- CLIENT ---------------------------------------------------------------------------

    private void client(ClientSession s, Command c, ByteBufAllocator alloc) {
        String sub = c.argString(1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "SETNAME" -> {
                if (c.argc() != 3) {
                    reply(c, Replies.error(alloc, "ERR wrong number of arguments for 'client|setname' command"));
                } else if (c.argString(2).contains(" ")) {
                    reply(c, Replies.error(alloc, "ERR Client names cannot contain spaces, newlines or special characters."));
                } else {
                    s.setClientName(c.argString(2).isEmpty() ? null : c.argString(2));
                    reply(c, Replies.of(Replies.OK));
                }
            }
            case "GETNAME" -> reply(c, Replies.bulk(alloc, s.clientName()));
            case "ID" -> reply(c, Replies.integer(alloc, s.id()));
            case "SETINFO", "NO-EVICT", "NO-TOUCH" -> reply(c, Replies.of(Replies.OK));
            case "INFO" -> reply(c, Replies.bulk(alloc, clientLine(s)));
            case "LIST" -> reply(c, Replies.bulk(alloc, clientLine(s)));
            default -> reply(c, Replies.error(alloc, "ERR CLIENT " + sub + " is not supported by the undermoon proxy"));
        }
    }

    private static String clientLine(ClientSession s) {
        return "id=" + s.id() + " addr=" + s.channel().remoteAddress() + " laddr=" + s.channel().localAddress()
                + " name=" + (s.clientName() == null ? "" : s.clientName()) + " db=0 cmd=client\n";
    }

    // ---- INFO / CONFIG / SLOWLOG ------------------------------------------------------------

    /** The INFO text the proxy answers itself (no keyspace section). */
    public String info() {
        RouteTable t = proxy.meta().table();
        var st = proxy.stats();
        long uptime = (System.currentTimeMillis() - st.startMillis) / 1000;
        return "# Server\r\n"
                + "redis_version:" + REDIS_VERSION + "\r\n"
                + "undermoon_version:" + VERSION + "\r\n"
                + "version:" + VERSION + "\r\n"
                + "redis_mode:cluster\r\n"
                + "process_id:" + ProcessHandle.current().pid() + "\r\n"
                + "tcp_port:" + proxy.config().address().substring(proxy.config().address().lastIndexOf(':') + 1) + "\r\n"
                + "uptime_in_seconds:" + uptime + "\r\n"
                + "\r\n# Clients\r\n"
                + "connected_clients:" + st.connectedClients.get() + "\r\n"
                + "\r\n# Stats\r\n"
                + "total_connections_received:" + st.totalConnections.sum() + "\r\n"
                + "total_commands_processed:" + st.commands() + "\r\n"
                + "forwarded_commands:" + st.forwarded() + "\r\n"
                + "moved_replies:" + st.moved() + "\r\n"
                + "protocol_errors:" + st.protocolErrors.sum() + "\r\n"
                + "flush_size:0\r\n"
                + "flush_interval:0\r\n"
                + "\r\n# Cluster\r\n"
                + "cluster_enabled:1\r\n"
                + "cluster_name:" + t.clusterName() + "\r\n"
                + "cluster_epoch:" + t.epoch() + "\r\n"
                + "local_backends:" + t.locals().size() + "\r\n";
    }

    private Map<String, String> readableConfig() {
        ProxyConfig c = proxy.config();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("address", c.address());
        m.put("announce_address", c.announceAddress());
        m.put("announce_host", c.announceHost());
        m.put("slowlog_len", Integer.toString(c.slowlogLen()));
        m.put("slowlog_log_slower_than", Long.toString(proxy.slowLog().logSlowerThan()));
        m.put("slowlog_sample_rate", Long.toString(proxy.slowLog().sampleRate()));
        m.put("thread_number", Integer.toString(c.threadNumber()));
        m.put("backend_conn_num", Integer.toString(c.backendConnNum()));
        m.put("backend_timeout", Long.toString(c.backendTimeout()));
        m.put("session_timeout", Long.toString(c.sessionTimeout()));
        m.put("active_redirection", Boolean.toString(c.activeRedirection()));
        m.put("max_redirections", c.maxRedirections() == 0 ? "none" : Integer.toString(c.maxRedirections()));
        m.put("default_redirection_address", c.defaultRedirectionAddress());
        m.put("cluster_nodes_version", c.clusterNodesVersion());
        m.put("max_pending_commands", Integer.toString(c.maxPendingCommands()));
        m.put("max_array_length", Integer.toString(c.maxArrayLength()));
        m.put("max_bulk_length", Long.toString(c.maxBulkLength()));
        m.put("max_inline_length", Integer.toString(c.maxInlineLength()));
        return m;
    }

    /** CONFIG GET returns Redis's name/value pairs (glob patterns allowed); CONFIG SET changes the slow log. */
    private void config(Command c, ByteBufAllocator alloc) {
        String sub = c.argString(1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "GET" -> {
                if (c.argc() < 3) {
                    reply(c, Replies.error(alloc, "ERR wrong number of arguments for 'config|get' command"));
                    return;
                }
                Map<String, String> all = readableConfig();
                Map<String, String> out = new LinkedHashMap<>();
                for (int i = 2; i < c.argc(); i++) {
                    String pattern = c.argString(i).toLowerCase(Locale.ROOT);
                    all.forEach((k, v) -> {
                        if (Glob.matches(pattern, k)) {
                            out.put(k, v);
                        }
                    });
                }
                ByteBuf b = alloc.buffer();
                RespWriter.arrayHeader(b, out.size() * 2);
                out.forEach((k, v) -> {
                    RespWriter.bulk(b, k);
                    RespWriter.bulk(b, v);
                });
                reply(c, b);
            }
            case "SET" -> {
                if (c.argc() != 4) {
                    reply(c, Replies.error(alloc, "ERR wrong number of arguments for 'config|set' command"));
                    return;
                }
                String field = c.argString(2).toLowerCase(Locale.ROOT);
                long v = c.argLong(3);
                switch (field) {
                    case "slowlog_log_slower_than" -> {
                        if (v == Long.MIN_VALUE) {
                            reply(c, Replies.error(alloc, "ERR invalid value for slowlog_log_slower_than: expected an integer"));
                        } else {
                            proxy.slowLog().setLogSlowerThan(v);
                            reply(c, Replies.of(Replies.OK));
                        }
                    }
                    case "slowlog_sample_rate" -> {
                        if (v == Long.MIN_VALUE || v < 0) {
                            reply(c, Replies.error(alloc, "ERR invalid value for slowlog_sample_rate: expected a non-negative integer"));
                        } else {
                            proxy.slowLog().setSampleRate(v);
                            reply(c, Replies.of(Replies.OK));
                        }
                    }
                    default -> reply(c, Replies.error(alloc, readableConfig().containsKey(field)
                            ? "ERR config field " + field + " is read-only" : "ERR unknown config field " + field));
                }
            }
            case "RESETSTAT" -> reply(c, Replies.of(Replies.OK));
            default -> reply(c, Replies.error(alloc, "ERR CONFIG " + sub + " is not supported by the undermoon proxy"));
        }
    }

    private void slowlog(Command c, ByteBufAllocator alloc) {
        String sub = c.argString(1).toUpperCase(Locale.ROOT);
        SlowLog log = proxy.slowLog();
        switch (sub) {
            case "GET" -> {
                int limit = c.argc() > 2 && c.argLong(2) >= 0 ? (int) Math.min(Integer.MAX_VALUE, c.argLong(2)) : 10;
                List<SlowLog.Entry> entries = log.get(limit);
                ByteBuf b = alloc.buffer();
                RespWriter.arrayHeader(b, entries.size());
                long id = 0;
                for (SlowLog.Entry e : entries) {
                    RespWriter.arrayHeader(b, 6);
                    RespWriter.integer(b, id++);
                    RespWriter.integer(b, e.createdEpochNanos() / 1_000_000_000L);
                    RespWriter.integer(b, e.waitDoneNanos() / 1000);
                    String[] words = e.command().split(" ");
                    RespWriter.arrayHeader(b, words.length);
                    for (String w : words) {
                        RespWriter.bulk(b, w);
                    }
                    RespWriter.bulk(b, "");
                    RespWriter.bulk(b, "session-" + e.sessionId());
                }
                reply(c, b);
            }
            case "LEN" -> reply(c, Replies.integer(alloc, log.get(Integer.MAX_VALUE).size()));
            case "RESET" -> {
                log.reset();
                reply(c, Replies.of(Replies.OK));
            }
            default -> reply(c, Replies.error(alloc, "ERR unknown subcommand '" + c.argString(1) + "'. Try SLOWLOG HELP."));
        }
    }

    // ---- CLUSTER ------------------------------------------------------------------------------

    private void cluster(Command c, ByteBufAllocator alloc) {
        String sub = c.argString(1).toUpperCase(Locale.ROOT);
        RouteTable t = proxy.meta().table();
        switch (sub) {
            case "NODES" -> reply(c, t.topology().nodesReply());
            case "SLOTS" -> reply(c, t.topology().slotsReply());
            case "SHARDS" -> reply(c, t.topology().shardsReply());
            case "INFO" -> reply(c, t.topology().infoReply());
            case "MYID" -> reply(c, Replies.bulk(alloc, t.topology().myId()));
            case "KEYSLOT" -> {
                if (c.argc() != 3) {
                    reply(c, Replies.error(alloc, "ERR wrong number of arguments for 'cluster|keyslot' command"));
                } else {
                    reply(c, Replies.integer(alloc, SlotHash.slot(c.raw(), c.argOffset(2), c.argLength(2))));
                }
            }
            case "HELP" -> {
                List<String> lines = List.of("CLUSTER <subcommand> [<arg> ...]. Subcommands are:", "NODES", "SLOTS",
                        "SHARDS", "INFO", "MYID", "KEYSLOT <key>");
                ByteBuf b = alloc.buffer();
                RespWriter.arrayHeader(b, lines.size());
                lines.forEach(l -> RespWriter.simple(b, l));
                reply(c, b);
            }
            default -> reply(c, Replies.error(alloc, "ERR CLUSTER " + sub
                    + " is not supported by the undermoon proxy (supported: NODES, SLOTS, SHARDS, INFO, MYID, KEYSLOT)"));
        }
    }

    /** ASCII text of an argument, for error messages. */
    static String text(Command c, int i) {
        return c.raw().toString(c.argOffset(i), c.argLength(i), StandardCharsets.UTF_8);
    }
}
