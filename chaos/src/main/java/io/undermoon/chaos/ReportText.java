package io.undermoon.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.undermoon.model.Json;
import java.util.List;
import java.util.Map;

/** A {@link ChaosReport} as Markdown (for people and docs/reliability.md) or JSON. */
public final class ReportText {
    private static final int LISTED = 20;

    private ReportText() {}

    public static String json(ChaosReport r) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the report", e);
        }
    }

    public static String markdown(ChaosReport r, String command) {
        StringBuilder b = new StringBuilder();
        ChaosReport.Setup s = r.setup();
        b.append("### Chaos run: ").append(r.targetsMet() ? "every target met" : "TARGETS MISSED").append("\n\n");
        b.append("`").append(command).append("`\n\n");
        b.append("Seed ").append(s.seed()).append("; ").append(s.proxies()).append(" proxies (").append(2 * s.proxies())
                .append(" Redis with appendfsync always) on ").append(s.hosts()).append(" hosts; ")
                .append(s.clientsPerCluster()).append(" checker clients on the main cluster (one on the extra cluster), ")
                .append(s.keysPerClient()).append(" keys each, ").append(s.opsPerSecond()).append(" ops/s each; ")
                .append(s.ballastKeys()).append(" ballast keys written once and read back at the end; an action every ")
                .append(s.meanFaultIntervalMillis() / 1000.0).append(" s on average; faults for ")
                .append(seconds(s.faultPhaseMillis())).append(", whole run ").append(seconds(s.totalMillis()))
                .append("; cluster incarnations: ").append(String.join(", ", s.clusterIncarnations())).append(".\n\n");
        b.append(s.etcd() ? "Store: etcd, " + s.brokers() + " members and " + s.brokers() + " brokers (broker i and member i on host i),"
                + " the coordinator given every broker address" : "Store: the memory broker with its meta file")
                .append("; Redis repl-diskless-sync-delay ").append(s.redisDisklessSyncDelay()).append(" s")
                .append(s.redisDisklessSyncDelay() == 5 ? " (Redis's default)" : "").append(".\n\n");
        List<String> missed = r.targetFailures();
        if (!missed.isEmpty()) {
            b.append("Targets missed:\n\n");
            missed.forEach(m -> b.append("- ").append(m).append('\n'));
            b.append('\n');
        }
        ChaosReport.Losses l = r.losses();
        ChaosReport.Reads rd = r.reads();
        ChaosReport.Availability a = r.availability();
        ChaosReport.Convergence c = r.convergence();
        b.append("| result | value | target |\n| --- | --- | --- |\n");
        row(b, "wrong values read", rd.wrong(), "0");
        row(b, "acknowledged writes lost, other", l.writesOther() + " (" + l.eventsOther() + " reads, "
                + l.resurrectedOther() + " resurrected deletes)", "0");
        row(b, "acknowledged writes lost inside a failover replication window (" + s.lossWindowMillis() + " ms)",
                l.writesInWindow() + " (" + l.eventsInWindow() + " reads, " + l.resurrectedInWindow() + " resurrected deletes; "
                        + l.writesByLag() + " within the window before the kill, " + l.writesBySingleCopy()
                        + " older, of a slot held in a single copy)", "by design");
        row(b, "ambiguous reads (an older in-doubt write's state)", rd.ambiguous(), "reported");
        row(b, "longest time a slot range was unwritable", a.longestOutageMillis() + " ms", "<= " + c.targetMillis() + " ms");
        row(b, "probe keys still unwritable at the end", a.unrecovered(), "0");
        row(b, "converged after the faults stopped", c.converged() ? "yes, in " + c.millis() + " ms" : "NO after " + c.millis() + " ms",
                "<= " + c.targetMillis() + " ms");
        row(b, "every master with an in-sync replica again", c.replicasInSync() ? "after " + c.replicasMillis() + " ms" : "no",
                "reported");
        row(b, "keys unreadable in the final sweep", r.operations().sweepFailures(), "0");
        ChaosReport.Metadata m = r.metadata();
        row(b, "acknowledged metadata changes lost", !m.checked() ? "NOT CHECKED (no broker gave the final store)"
                : m.changesLost() + " (of " + m.changesAcknowledged() + " acknowledged, checked against the store of "
                        + String.join(", ", m.storesRead()) + "; " + m.changesSuperseded() + " undone by a later acknowledged change, "
                        + m.changesInDoubt() + " changes in doubt, " + m.changesExcused() + " excused by one)", "0");
        row(b, "epoch regressions", m.epochRegressions() + " (" + m.epochAnswers() + " answers of GET /api/v3/epoch, highest epoch "
                + m.highestEpoch() + ")", "0");
        row(b, "failover after a broker loss (proxy kill to committed / to its slots writable)", brokerLosses(r.brokerLosses()),
                "<= " + ChaosReport.BROKER_LOSS_FAILOVER_TARGET_MILLIS + " ms (issue 11), reported");
        ChaosReport.SingleCopy sc = r.singleCopy();
        row(b, "shards without a synced replica", sc.shards() + " shards, " + sc.windows() + " windows, " + sc.totalMillis()
                + " ms in all; longest " + sc.longestMillis() + " ms", "reported");
        b.append('\n');

        ChaosReport.Operations o = r.operations();
        b.append("| operations | count |\n| --- | --- |\n");
        row(b, "checker commands", o.checkerOps());
        row(b, "SET acknowledged / in doubt", o.setsAcked() + " / " + o.setsInDoubt());
        row(b, "DEL acknowledged / in doubt", o.deletesAcked() + " / " + o.deletesInDoubt());
        row(b, "reads verified (incl. final sweep) / failed", o.readsVerified() + " / " + o.readsFailed());
        row(b, "in-doubt writes later seen applied", o.inDoubtApplied());
        row(b, "final sweep reads", o.sweepReads());
        row(b, "probe writes / failed", o.probeWrites() + " / " + o.probeFailures());
        row(b, "proxies re-registered by the reviver", o.proxiesRevived());
        row(b, "cluster clients found in another cluster (rebuilt)", o.clientsStrayed());
        b.append('\n');

        b.append("| fault | injected | skipped | longest outage after it | acknowledged writes it can lose by design |\n")
                .append("| --- | --- | --- | --- | --- |\n");
        for (FaultKind k : FaultKind.values()) {
            if (k.etcdOnly && !s.etcd()) {
                continue;
            }
            Long worst = a.longestByFault().get(k);
            b.append("| ").append(k.description).append(" | ").append(r.faultsInjected().getOrDefault(k, 0)).append(" | ")
                    .append(r.faultsSkipped().getOrDefault(k, 0)).append(" | ").append(worst == null ? "-" : worst + " ms")
                    .append(" | ").append(k.lossByDesign).append(" |\n");
        }
        b.append('\n');
        list(b, "Longest outages", a.worstOutages());
        list(b, "Losses outside a window", l.examplesOther());
        list(b, "Losses inside a window (examples)", l.examplesInWindow());
        list(b, "Wrong reads", rd.examplesWrong());
        list(b, "Ambiguous reads", rd.examplesAmbiguous());
        list(b, "Acknowledged metadata changes lost", m.examplesLost());
        list(b, "Epoch regressions", m.examplesRegressions());
        list(b, "Broker losses and the failover after them", r.brokerLosses().stream().map(ReportText::describe).toList());
        list(b, "Shards without a synced replica (longest first)", sc.byShard());
        list(b, "Problems", r.problems());
        if (!c.converged()) {
            list(b, "Still disagreeing at the end", c.lastDisagreements());
        }
        b.append("Client errors (commands that failed or were in doubt):\n\n");
        o.errors().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> b.append("- ").append(e.getValue()).append(" x `").append(e.getKey()).append("`\n"));
        return b.toString();
    }

    /** "n events; committed: median / max ms; writable: median / max ms", or "none". */
    static String brokerLosses(List<ChaosReport.BrokerLoss> losses) {
        if (losses.isEmpty()) {
            return "none";
        }
        long[] committed = losses.stream().mapToLong(ChaosReport.BrokerLoss::committedMillis).sorted().toArray();
        long[] writable = losses.stream().mapToLong(ChaosReport.BrokerLoss::writableMillis).sorted().toArray();
        long failed = losses.stream().filter(l -> l.writableMillis() < 0).count();
        long over = losses.stream().filter(l -> l.writableMillis() < 0 || l.writableMillis() > ChaosReport.BROKER_LOSS_FAILOVER_TARGET_MILLIS)
                .count();
        return losses.size() + " failovers; committed median " + median(committed) + " ms, max " + max(committed) + " ms; writable median "
                + median(writable) + " ms, max " + max(writable) + " ms; " + over + " over the target"
                + (failed > 0 ? " (" + failed + " not within " + FailoverTimer.TIMEOUT_MILLIS / 1000 + " s)" : "");
    }

    private static String median(long[] sorted) {
        long v = sorted[(sorted.length - 1) / 2];
        return v < 0 ? "-" : String.valueOf(v);
    }

    private static String max(long[] sorted) {
        return sorted[0] < 0 ? "- (one not at all)" : String.valueOf(sorted[sorted.length - 1]);
    }

    private static String describe(ChaosReport.BrokerLoss l) {
        return l.atMillis() + " ms " + l.kind() + ": broker " + l.broker() + ", proxy " + l.proxy() + ": committed after "
                + l.committedMillis() + " ms, writable after " + l.writableMillis() + " ms (" + l.outcome() + ")";
    }

    private static void row(StringBuilder b, String what, Object value) {
        b.append("| ").append(what).append(" | ").append(value).append(" |\n");
    }

    private static void row(StringBuilder b, String what, Object value, String target) {
        b.append("| ").append(what).append(" | ").append(value).append(" | ").append(target).append(" |\n");
    }

    /** At most {@value #LISTED} items; the JSON report has them all. */
    private static void list(StringBuilder b, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        b.append(title).append(items.size() > LISTED ? " (the first " + LISTED + " of " + items.size() + ")" : "").append(":\n\n");
        items.stream().limit(LISTED).forEach(i -> b.append("- ").append(i).append('\n'));
        b.append('\n');
    }

    private static String seconds(long millis) {
        return millis / 1000 + " s";
    }
}
