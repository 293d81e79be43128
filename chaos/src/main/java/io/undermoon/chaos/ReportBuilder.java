package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Turns what a run recorded into a {@link ChaosReport}: classifies losses, attributes outages. */
final class ReportBuilder {
    /** How the wait for convergence ended. */
    record ConvergenceResult(boolean converged, long millis, List<String> disagreements) {}

    /** An outage is attributed to the last fault begun at most this long before it started. */
    static final long ATTRIBUTION_MILLIS = 10_000;
    /** Losses outside a window and bad reads are all listed (they are what a run must explain); others sampled. */
    private static final int ALL = 10_000;
    private static final int SAMPLE = 50;

    private final ChaosOptions options;
    private final Timeline timeline;
    private final Findings findings;
    private final ClusterHistory history;
    private final CheckRegistry checks;

    ReportBuilder(ChaosOptions options, Timeline timeline, Findings findings, ClusterHistory history, CheckRegistry checks) {
        this.options = options;
        this.timeline = timeline;
        this.findings = findings;
        this.history = history;
        this.checks = checks;
    }

    ChaosReport build(long faultMillis, long totalMillis, ConvergenceResult conv, boolean replicasInSync,
            long replicasMillis, int failedLeft, int revived, ChaosReport.Metadata metadata, SingleCopyWindows singleCopy) {
        List<FaultEvent> events = timeline.events();
        ChaosReport.Setup setup = new ChaosReport.Setup(options.seed(), options.proxies(), options.hosts(),
                options.clientsPerCluster(), options.keysPerClient(), options.ballastKeys(), options.opsPerSecond(),
                options.meanFaultInterval().toMillis(), options.lossWindowMillis(), faultMillis, totalMillis,
                checks.all().stream().map(CheckedCluster::incarnation).toList(), options.etcd(),
                options.etcd() ? ChaosOptions.ETCD_MEMBERS : 1, options.redisDisklessSyncDelay());
        long probeWrites = 0;
        long probeFailures = 0;
        long ops = 0;
        List<SlotProber.Outage> outages = new ArrayList<>();
        for (CheckedCluster c : checks.all()) {
            probeWrites += c.prober().writes();
            probeFailures += c.prober().failures();
            outages.addAll(c.prober().outages());
            ops += c.ops();
        }
        ChaosReport.Operations operations = new ChaosReport.Operations(ops, findings.setsAcked.sum(),
                findings.setsInDoubt.sum(), findings.deletesAcked.sum(), findings.deletesInDoubt.sum(),
                findings.readsVerified.sum(), findings.readsFailed.sum(), findings.inDoubtApplied.sum(),
                findings.sweepReads.sum(), findings.sweepFailures.sum(), probeWrites, probeFailures, findings.errors(),
                revived, findings.strays.sum());
        ChaosReport.Reads reads = new ChaosReport.Reads(findings.wrong().size(), describe(findings.wrong()),
                findings.ambiguous().size(), describe(findings.ambiguous()));
        ChaosReport.Convergence convergence = new ChaosReport.Convergence(conv.converged(), conv.millis(),
                options.convergenceTarget().toMillis(), conv.disagreements(), replicasInSync, replicasMillis, failedLeft);
        return new ChaosReport(setup, operations, timeline.injected(), timeline.skipped(), losses(), reads,
                availability(outages, events), convergence, timeline.problems(), events, history.describe(), metadata,
                timeline.brokerLosses(), singleCopy(singleCopy));
    }

    /** The metadata part: the ledger checked against the final stores, and the epochs the brokers answered. */
    static ChaosReport.Metadata metadata(MetadataLedger ledger, List<String> storesRead, List<MetadataLedger.Verdict> verdicts,
            EpochTracker epochs) {
        long lost = 0;
        long superseded = 0;
        long excused = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            MetadataLedger.Verdict v = verdicts.get(i);
            // each broker's store is checked; the worst one counts
            if (v.lost().size() >= lost) {
                lost = v.lost().size();
                superseded = v.superseded();
                excused = v.excused();
            }
            for (String l : v.lost()) {
                addExample(examples, storesRead.get(i) + ": " + l, ALL);
            }
        }
        List<MetadataLedger.Entry> entries = ledger.entries();
        long acked = entries.stream().filter(MetadataLedger.Entry::acknowledged).count();
        return new ChaosReport.Metadata(!verdicts.isEmpty(), acked, entries.size() - acked, superseded, excused, lost, examples,
                storesRead, epochs.answers(), epochs.highest(), epochs.regressions().size(), epochs.regressions());
    }

    static ChaosReport.SingleCopy singleCopy(SingleCopyWindows windows) {
        List<SingleCopyWindows.ShardSummary> shards = windows.byShard();
        int count = shards.stream().mapToInt(SingleCopyWindows.ShardSummary::windows).sum();
        long total = shards.stream().mapToLong(SingleCopyWindows.ShardSummary::totalMillis).sum();
        List<String> lines = new ArrayList<>();
        for (SingleCopyWindows.ShardSummary s : shards) {
            lines.add(s.shard() + " " + s.slots() + ": " + s.windows() + (s.windows() == 1 ? " window" : " windows") + ", longest "
                    + s.longestMillis() + " ms (from " + s.longestFromMillis() + " ms), " + s.totalMillis() + " ms in all");
        }
        String longest = shards.isEmpty() ? "none" : lines.getFirst();
        return new ChaosReport.SingleCopy(shards.size(), count, shards.isEmpty() ? 0 : shards.getFirst().longestMillis(), longest,
                total, lines);
    }

    private ChaosReport.Losses losses() {
        LossClassifier classifier = new LossClassifier(history, timeline.kills(), options.lossWindowMillis());
        long inWindow = 0;
        long other = 0;
        long eventsIn = 0;
        long eventsOther = 0;
        long resIn = 0;
        long resOther = 0;
        long byLag = 0;
        long bySingleCopy = 0;
        List<String> examplesOther = new ArrayList<>();
        List<String> examplesIn = new ArrayList<>();
        for (Findings.Loss l : findings.losses()) {
            int explained = 0;
            for (ReadVerdict.LostWrite w : l.writes()) {
                switch (classifier.classify(l.cluster(), l.slot(), w, l.detectedMillis())) {
                    case REPLICATION_LAG -> {
                        explained++;
                        byLag++;
                    }
                    case SINGLE_COPY -> {
                        explained++;
                        bySingleCopy++;
                    }
                    case OTHER -> { }
                }
            }
            inWindow += explained;
            other += l.writes().size() - explained;
            boolean allExplained = explained == l.writes().size();
            String text = l.cluster() + " " + l.key() + " (slot " + l.slot() + ") at " + l.detectedMillis() + " ms read "
                    + l.observed() + ": " + (l.resurrected() ? "deleted key came back, " : "") + "lost " + times(l.writes())
                    + ", " + explained + " inside a window";
            if (allExplained) {
                eventsIn++;
                resIn += l.resurrected() ? 1 : 0;
                addExample(examplesIn, text, SAMPLE);
            } else {
                eventsOther++;
                resOther += l.resurrected() ? 1 : 0;
                addExample(examplesOther, text, ALL);
            }
        }
        return new ChaosReport.Losses(inWindow, other, eventsIn, eventsOther, resIn, resOther, byLag, bySingleCopy,
                examplesOther, examplesIn);
    }

    private ChaosReport.Availability availability(List<SlotProber.Outage> outages, List<FaultEvent> events) {
        List<SlotProber.Outage> sorted = new ArrayList<>(outages);
        sorted.sort(Comparator.comparingLong(SlotProber.Outage::millis).reversed());
        Map<FaultKind, Long> byFault = new EnumMap<>(FaultKind.class);
        List<String> worst = new ArrayList<>();
        int unrecovered = 0;
        for (SlotProber.Outage o : sorted) {
            FaultEvent cause = cause(o, events);
            if (cause != null) {
                byFault.merge(cause.kind(), o.millis(), Math::max);
            }
            if (o.end() == SlotProber.End.RUN_ENDED) {
                unrecovered++;
            }
            if (worst.size() < 5) {
                worst.add(describe(o, cause));
            }
        }
        long longest = sorted.isEmpty() ? 0 : sorted.getFirst().millis();
        String longestText = sorted.isEmpty() ? "none" : worst.getFirst();
        return new ChaosReport.Availability(longest, longestText, worst, byFault, unrecovered, outages.size());
    }

    /** The last fault (not skipped) begun before the outage ended and at most 10 s before it began. */
    static FaultEvent cause(SlotProber.Outage o, List<FaultEvent> events) {
        FaultEvent best = null;
        for (FaultEvent e : events) {
            if (e.outcome().startsWith("skipped")) {
                continue;
            }
            if (e.atMillis() <= o.toMillis() && e.atMillis() >= o.fromMillis() - ATTRIBUTION_MILLIS
                    && (best == null || e.atMillis() > best.atMillis())) {
                best = e;
            }
        }
        return best;
    }

    private static String describe(SlotProber.Outage o, FaultEvent cause) {
        return o.millis() + " ms, " + o.cluster() + " slot " + o.slot() + " from " + o.fromMillis() + " ms"
                + switch (o.end()) {
                    case RECOVERED -> "";
                    case CLUSTER_DELETED -> " (until the cluster was deleted)";
                    case RUN_ENDED -> " (never recovered)";
                }
                + (cause == null ? "" : ", after " + cause.kind() + " on " + cause.target() + " at " + cause.atMillis() + " ms");
    }

    /** Lost writes as {@code sent/acknowledged} times in ms. */
    private static String times(List<ReadVerdict.LostWrite> writes) {
        StringBuilder b = new StringBuilder("[");
        for (ReadVerdict.LostWrite w : writes) {
            b.append(b.length() > 1 ? " " : "").append(w.issuedMillis()).append('/').append(w.ackMillis());
        }
        return b.append(']').toString();
    }

    private static List<String> describe(List<Findings.BadRead> reads) {
        List<String> out = new ArrayList<>();
        for (Findings.BadRead r : reads) {
            addExample(out, r.cluster() + " " + r.key() + " at " + r.atMillis() + " ms: read " + r.value() + ": " + r.what(), ALL);
        }
        return out;
    }

    private static void addExample(List<String> list, String text, int limit) {
        if (list.size() < limit) {
            list.add(text);
        }
    }
}
