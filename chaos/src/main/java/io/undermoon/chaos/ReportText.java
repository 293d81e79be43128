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
        list(b, "Problems", r.problems());
        if (!c.converged()) {
            list(b, "Still disagreeing at the end", c.lastDisagreements());
        }
        b.append("Client errors (commands that failed or were in doubt):\n\n");
        o.errors().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10)
                .forEach(e -> b.append("- ").append(e.getValue()).append(" x `").append(e.getKey()).append("`\n"));
        return b.toString();
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
