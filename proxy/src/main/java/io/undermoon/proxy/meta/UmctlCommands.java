package io.undermoon.proxy.meta;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.model.Addresses;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.umctl.ReplStatus;
import io.undermoon.model.umctl.SetClusterArgs;
import io.undermoon.model.umctl.SetReplArgs;
import io.undermoon.model.umctl.UmctlParseException;
import io.undermoon.proxy.ProxyContext;
import io.undermoon.proxy.SlowLog;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.session.Command;
import io.undermoon.proxy.local.LocalCommands;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.resp.client.RespReply;
import io.undermoon.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The meta commands of the coordinator and of peer proxies: UMCTL (SETCLUSTER, SETREPL, GETEPOCH,
 * INFO, INFOREPL, INFOMGR, LISTCLUSTER, SLOWLOG, DEBUG, STATS, READY, SHUTDOWN and the migration
 * switch commands), UMSYNC and UMFORWARD. Wire formats follow the reference exactly; REPLSTATUS is ours.
 */
public final class UmctlCommands implements LocalCommands.MetaCommands {
    private final ProxyContext proxy;
    private final MigrationHooks migration;

    /** What the migration machinery answers; the proxy without running migrations has no tasks. */
    public interface MigrationHooks {
        /** Finished tasks in INFOMGR text form. */
        List<String> finishedTasks();

        /** The migration part of UMCTL INFO: "<count> a-b ... <src_node> -> <dst_node> <STATE>" lines. */
        List<String> describeTasks();

        /** UMCTL PRECHECK/PRESWITCH/FINALSWITCH. */
        void switchCommand(ClientSession s, Command c, String sub);

        /** UMSYNC key. */
        void umsync(ClientSession s, Command c);

        /** "name: value" counters for UMCTL STATS. */
        List<String> statsLines();
    }

    public UmctlCommands(ProxyContext proxy, MigrationHooks migration) {
        this.proxy = proxy;
        this.migration = migration;
    }

    @Override
    public void handle(ClientSession s, Command c, CommandSpec spec) {
        ByteBufAllocator alloc = s.channel().alloc();
        switch (spec.name()) {
            case "UMSYNC" -> migration.umsync(s, c);
            default -> umctl(s, c, alloc);
        }
    }

    private static void reply(Command c, ByteBuf b) {
        c.complete(b);
    }

    private static List<byte[]> tokens(Command c, int from) {
        List<byte[]> out = new ArrayList<>(Math.max(0, c.argc() - from));
        for (int i = from; i < c.argc(); i++) {
            out.add(c.argBytes(i));
        }
        return out;
    }

    private void umctl(ClientSession s, Command c, ByteBufAllocator alloc) {
        String sub = c.argString(1).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "SETCLUSTER" -> setCluster(c, alloc);
            case "SETREPL" -> setRepl(c, alloc);
            case "GETEPOCH" -> reply(c, Replies.integer(alloc, proxy.meta().table().epoch()));
            case "LISTCLUSTER" -> {
                ByteBuf b = alloc.buffer();
                RespWriter.arrayHeader(b, 1);
                RespWriter.bulk(b, proxy.meta().table().clusterName());
                reply(c, b);
            }
            case "INFO" -> reply(c, value(alloc, info()));
            case "INFOREPL" -> reply(c, value(alloc, infoRepl()));
            case "REPLSTATUS" -> reply(c, value(alloc, replStatus()));
            case "INFOMGR" -> reply(c, value(alloc, strings(migration.finishedTasks())));
            case "SLOWLOG" -> slowlog(c, alloc);
            case "DEBUG" -> {
                if (c.argc() >= 3 && c.argString(2).equalsIgnoreCase("FUTURE")) {
                    reply(c, value(alloc, strings(migration.describeTasks())));
                } else {
                    reply(c, Replies.error(alloc, "invalid debug sub-command"));
                }
            }
            case "STATS" -> {
                List<String> lines = new ArrayList<>();
                lines.add("# Migration");
                lines.addAll(migration.statsLines());
                reply(c, value(alloc, strings(lines)));
            }
            case "READY" -> reply(c, Replies.integer(alloc, ready() ? 1 : 0));
            case "SHUTDOWN" -> {
                reply(c, Replies.of(Replies.OK));
                s.channel().eventLoop().schedule(proxy::shutdown, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            case "PRECHECK", "PRESWITCH", "FINALSWITCH" -> migration.switchCommand(s, c, sub);
            default -> reply(c, Replies.of(Replies.INVALID_SUB_COMMAND));
        }
    }

    private void setCluster(Command c, ByteBufAllocator alloc) {
        SetClusterArgs args;
        try {
            args = SetClusterArgs.parse(tokens(c, 2));
        } catch (UmctlParseException e) {
            reply(c, Replies.error(alloc, "Failed to parse args: " + e.reason().name()));
            return;
        }
        ClusterMetaState.SetResult result = proxy.meta().setCluster(args.epoch(), args.flags().force(),
                args.clusterName(), args.local(), args.peer(), args.clusterConfig());
        switch (result) {
            case OK -> reply(c, args.configIgnored() ? Replies.simple(alloc, "WARNING: ignored invalid config")
                    : Replies.of(Replies.OK));
            case OLD_EPOCH -> reply(c, Replies.of(Replies.OLD_EPOCH));
            case NOT_MY_META -> reply(c, Replies.of(Replies.ERR_NOT_MY_META));
            default -> throw new IllegalStateException();
        }
    }

    private void setRepl(Command c, ByteBufAllocator alloc) {
        SetReplArgs args;
        try {
            args = SetReplArgs.parse(tokens(c, 2));
        } catch (UmctlParseException e) {
            reply(c, Replies.error(alloc, "Invalid arguments"));
            return;
        }
        String myHost = proxy.config().announceHost();
        for (SetReplArgs.Entry e : args.entries()) {
            if (!Addresses.host(e.nodeAddress()).map(myHost::equals).orElse(false)) {
                reply(c, Replies.of(Replies.ERR_NOT_MY_META));
                return;
            }
        }
        reply(c, proxy.replication().set(args) ? Replies.of(Replies.OK) : Replies.of(Replies.OLD_EPOCH));
    }

    /** READY: replicas only, or at least one local range that is stable or importing. */
    private boolean ready() {
        SetReplArgs repl = proxy.replication().current();
        if (repl != null && repl.masters().isEmpty() && !repl.replicas().isEmpty()) {
            return true;
        }
        for (List<SlotRange> ranges : proxy.meta().table().local().values()) {
            for (SlotRange r : ranges) {
                if (!(r.tag() instanceof SlotRangeTag.Migrating)) {
                    return true;
                }
            }
        }
        return false;
    }

    private RespReply info() {
        RouteTable t = proxy.meta().table();
        List<RespReply> local = new ArrayList<>();
        local.add(RespReply.bulk("name: " + t.clusterName()));
        local.add(RespReply.bulk("epoch: " + t.epoch()));
        local.add(RespReply.bulk("nodes:"));
        local.addAll(nodeEntries(t.local()));
        List<RespReply> peer = new ArrayList<>();
        peer.add(RespReply.bulk("peers:"));
        peer.addAll(nodeEntries(t.peer()));
        RespReply cluster = new RespReply.Array(List.of(RespReply.bulk(t.clusterName()), RespReply.bulk("local"),
                new RespReply.Array(local), RespReply.bulk("peer"), new RespReply.Array(peer)));
        List<String> mgr = new ArrayList<>();
        mgr.add("name: " + t.clusterName());
        mgr.addAll(migration.describeTasks());
        return new RespReply.Array(List.of(RespReply.bulk("Cluster"), cluster, RespReply.bulk("Replication"), infoRepl(),
                RespReply.bulk("Migration"), strings(mgr)));
    }

    private static List<RespReply> nodeEntries(Map<String, List<SlotRange>> nodes) {
        List<RespReply> out = new ArrayList<>();
        nodes.forEach((address, ranges) -> {
            List<RespReply> rs = new ArrayList<>();
            for (SlotRange r : ranges) {
                var meta = r.tag().metaOrNull();
                if (meta != null) {
                    rs.add(RespReply.bulk(Long.toString(meta.epoch())));
                    rs.add(RespReply.bulk("src_proxy: " + meta.srcProxyAddress()));
                    rs.add(RespReply.bulk("src_node: " + meta.srcNodeAddress()));
                    rs.add(RespReply.bulk("dst_proxy: " + meta.dstProxyAddress()));
                    rs.add(RespReply.bulk("dst_node: " + meta.dstNodeAddress()));
                }
                rs.add(RespReply.bulk(r.rangeList().toString()));
            }
            out.add(new RespReply.Array(List.of(RespReply.bulk(address), new RespReply.Array(rs))));
        });
        return out;
    }

    private RespReply infoRepl() {
        SetReplArgs repl = proxy.replication().current();
        List<RespReply> out = new ArrayList<>();
        if (repl != null) {
            for (SetReplArgs.Entry e : repl.entries()) {
                List<String> lines = new ArrayList<>();
                lines.add("cluster:" + e.clusterName() + "\n");
                lines.add("role:" + e.role() + "\n");
                lines.add("node_address:" + e.nodeAddress() + "\n");
                String key = e instanceof SetReplArgs.Master ? "replica:" : "master:";
                for (SetReplArgs.Peer p : e.peers()) {
                    lines.add(key + p.nodeAddress() + "@" + p.proxyAddress() + "\n");
                }
                out.add(strings(lines));
            }
        }
        return new RespReply.Array(out);
    }

    /** Ours: one {@link ReplStatus} line per local node with a role (read-only). */
    private RespReply replStatus() {
        List<String> lines = new ArrayList<>();
        for (ReplStatus st : proxy.replication().statuses()) {
            lines.add(st.toText());
        }
        return strings(lines);
    }

    private void slowlog(Command c, ByteBufAllocator alloc) {
        String sub = c.argc() > 2 ? c.argString(2).toUpperCase(Locale.ROOT) : "";
        SlowLog log = proxy.slowLog();
        switch (sub) {
            case "GET" -> {
                int limit = Integer.MAX_VALUE;
                if (c.argc() > 3 && c.argLong(3) >= 0) {
                    limit = (int) Math.min(Integer.MAX_VALUE, c.argLong(3));
                }
                List<RespReply> entries = new ArrayList<>();
                for (SlowLog.Entry e : log.get(limit)) {
                    entries.add(strings(List.of(
                            "session_id: " + e.sessionId(),
                            "created: " + SlowLog.formatCreated(e.createdEpochNanos()),
                            "sent_to_migration_backend: " + e.sentToMigrationBackendNanos(),
                            "sent_to_cluster: " + e.sentToClusterNanos(),
                            "sent_to_queue: " + e.sentToQueueNanos(),
                            "queue_received: " + e.queueReceivedNanos(),
                            "sent_to_backend: " + e.sentToBackendNanos(),
                            "received_from_backend: " + e.receivedFromBackendNanos(),
                            "wait_done: " + e.waitDoneNanos(),
                            "command: " + e.command())));
                }
                reply(c, value(alloc, new RespReply.Array(entries)));
            }
            case "RESET" -> {
                log.reset();
                reply(c, Replies.of(Replies.OK));
            }
            default -> reply(c, Replies.error(alloc, "invalid slowlog sub-command"));
        }
    }

    private static RespReply strings(List<String> lines) {
        List<RespReply> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(RespReply.bulk(l));
        }
        return new RespReply.Array(out);
    }

    private static ByteBuf value(ByteBufAllocator alloc, RespReply v) {
        return RespWriter.value(alloc.buffer(), v);
    }
}
