package io.undermoon.cli.ctl;

import io.undermoon.broker.overview.Overview;
import io.undermoon.broker.overview.Overviews;
import io.undermoon.model.Range;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code ctl status}: every cluster, its nodes, slot coverage, migrations and failed proxies. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Every cluster with its nodes, slot coverage, migration state, and the failed proxies.")
final class StatusCommand extends CtlAction {

    @Override
    int run(BrokerApi api) throws CtlException {
        Overview o = Overviews.of(api.metadata(), -1, null);
        if (options.json) {
            printJson(o);
            return ExitCodes.OK;
        }
        long free = o.hosts().stream().flatMap(h -> h.proxies().stream()).filter(p -> p.state().equals(Overviews.FREE)).count();
        long all = o.hosts().stream().mapToLong(h -> h.proxies().size()).sum();
        out().println("broker " + api.broker() + ": " + o.clusters().size() + " clusters, " + all + " proxies (" + free
                + " free, " + o.failedProxies().size() + " failed) on " + o.hosts().size() + " hosts, global epoch "
                + o.globalEpoch());
        out().println();
        Table t = new Table("CLUSTER", "EPOCH", "NODES", "MASTERS", "SLOTS COVERED", "MIGRATION");
        for (Overview.ClusterOverview c : o.clusters()) {
            t.row(c.name(), c.epoch(), c.nodeNumber(), c.masters().size(), c.coveredSlots() + "/16384",
                    c.migrations().isEmpty() ? "none" : c.migrations().size() + " tasks, " + c.migratingSlots() + " slots to move");
        }
        t.print(out());
        for (Overview.ClusterOverview c : o.clusters()) {
            out().println();
            out().println("cluster " + c.name() + ":");
            Table n = new Table("  MASTER", "PROXY", "HOST", "REPLICA", "REPLICA HOST", "SLOTS");
            for (Overview.MasterOverview m : c.masters()) {
                n.row("  " + m.node(), m.proxy(), m.host(), m.replicaNode(), m.replicaHost(),
                        m.slotCount() + " (" + ranges(m.slots()) + ")");
            }
            n.print(out());
            for (Overview.MigrationOverview m : c.migrations()) {
                out().println("  migrating " + ranges(m.ranges()) + " (" + m.slots() + " slots) from " + m.srcNode() + " @ "
                        + m.srcProxy() + " to " + m.dstNode() + " @ " + m.dstProxy());
            }
        }
        out().println();
        out().println("failed proxies: " + (o.failedProxies().isEmpty() ? "none" : String.join(", ", o.failedProxies())));
        if (!o.failureReports().isEmpty()) {
            out().println("failure reports: " + o.failureReports().entrySet().stream()
                    .map(e -> e.getKey() + " by " + String.join(",", e.getValue())).collect(Collectors.joining("; ")));
        }
        return ExitCodes.OK;
    }

    static String ranges(List<Range> ranges) {
        if (ranges.isEmpty()) {
            return "-";
        }
        return ranges.stream().map(r -> r.start() == r.end() ? Integer.toString(r.start()) : r.start() + "-" + r.end())
                .collect(Collectors.joining(","));
    }
}
