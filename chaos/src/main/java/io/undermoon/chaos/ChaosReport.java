package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a chaos run, in numbers. {@link #targetFailures()} lists the targets missed
 * (empty: every target met). Times are milliseconds; event times are on the run clock.
 * {@code layoutHistory} lists every layout the broker published and every change of the slots
 * held in a single copy, with their times, to explain the findings.
 */
public record ChaosReport(Setup setup, Operations operations, Map<FaultKind, Integer> faultsInjected,
        Map<FaultKind, Integer> faultsSkipped, Losses losses, Reads reads, Availability availability,
        Convergence convergence, List<String> problems, List<FaultEvent> events, List<String> layoutHistory,
        Metadata metadata, List<BrokerLoss> brokerLosses, SingleCopy singleCopy) {

    /** The failover time issue 11 asks for after the loss of a broker (reported, not one of {@link #targetFailures()}). */
    public static final long BROKER_LOSS_FAILOVER_TARGET_MILLIS = 5000;

    public ChaosReport {
        brokerLosses = List.copyOf(brokerLosses);
        faultsInjected = Map.copyOf(faultsInjected);
        faultsSkipped = Map.copyOf(faultsSkipped);
        problems = List.copyOf(problems);
        events = List.copyOf(events);
        layoutHistory = List.copyOf(layoutHistory);
    }

    /** What ran, and for how long. */
    public record Setup(long seed, int proxies, int hosts, int clientsPerCluster, int keysPerClient, int ballastKeys, int opsPerSecond,
            long meanFaultIntervalMillis, long lossWindowMillis, long faultPhaseMillis, long totalMillis,
            List<String> clusterIncarnations, boolean etcd, int brokers, int redisDisklessSyncDelay) {}

    /**
     * The metadata checks. {@code checked} is false when no broker gave the final store; then
     * {@code changesLost} says nothing. Acknowledged changes are checked against the final store
     * of every broker that answered ({@code storesRead}); "superseded" ones were undone by a later
     * acknowledged change, "excused" ones did not hold but a later change in doubt may explain it.
     * Epochs: every live broker's {@code GET /api/v3/epoch} about once a second; an answer below
     * what the same broker answered before is a regression.
     */
    public record Metadata(boolean checked, long changesAcknowledged, long changesInDoubt, long changesSuperseded,
            long changesExcused, long changesLost, List<String> examplesLost, List<String> storesRead, long epochAnswers,
            long highestEpoch, long epochRegressions, List<String> examplesRegressions) {}

    /**
     * A broker lost (killed, or its whole host) and a master proxy of the main cluster killed with it:
     * milliseconds from the proxy kill until a live broker committed the failover, and until every
     * slot range the proxy mastered was writable again (-1: not within the timeout).
     */
    public record BrokerLoss(long atMillis, FaultKind kind, String broker, String proxy, long committedMillis,
            long writableMillis, String outcome) {}

    /**
     * Shards (a master of a cluster) found without a synced replica by the replication monitor, and
     * for how long: {@code byShard} one line per shard, longest window first.
     */
    public record SingleCopy(int shards, int windows, long longestMillis, String longest, long totalMillis, List<String> byShard) {}

    /** Commands of the checker clients and of the probes. */
    public record Operations(long checkerOps, long setsAcked, long setsInDoubt, long deletesAcked, long deletesInDoubt,
            long readsVerified, long readsFailed, long inDoubtApplied, long sweepReads, long sweepFailures,
            long probeWrites, long probeFailures, Map<String, Long> errors, int proxiesRevived, long clientsStrayed) {}

    /**
     * Acknowledged writes found lost, inside a failover replication window or not; "events" are
     * reads that found a loss (one key each), "resurrected" the events where a deleted key came back.
     * The writes inside a window split into those acknowledged at most the window before the kill
     * (replication lag) and the older ones of a slot held in a single copy.
     */
    public record Losses(long writesInWindow, long writesOther, long eventsInWindow, long eventsOther,
            long resurrectedInWindow, long resurrectedOther, long writesByLag, long writesBySingleCopy,
            List<String> examplesOther, List<String> examplesInWindow) {}

    /** Wrong values read (never written to the key), and ambiguous ones (an older in-doubt write's state). */
    public record Reads(long wrong, List<String> examplesWrong, long ambiguous, List<String> examplesAmbiguous) {}

    /** The longest time a probe key (one per 256 slots) could not be written. */
    public record Availability(long longestOutageMillis, String longestOutage, List<String> worstOutages,
            Map<FaultKind, Long> longestByFault, int unrecovered, int outages) {}

    /** After the faults stopped: how long until broker and proxies agreed, and whether replication caught up. */
    public record Convergence(boolean converged, long millis, long targetMillis, List<String> lastDisagreements,
            boolean replicasInSync, long replicasMillis, int failedProxiesLeft) {}

    /** The targets this run missed; empty when every target is met. */
    public List<String> targetFailures() {
        List<String> out = new ArrayList<>();
        if (reads.wrong() > 0) {
            out.add(reads.wrong() + " wrong values read (target 0)");
        }
        if (losses.writesOther() > 0) {
            out.add(losses.writesOther() + " acknowledged writes lost outside a failover replication window (target 0)");
        }
        if (!convergence.converged()) {
            out.add("did not converge within " + convergence.millis() / 1000 + " s: " + convergence.lastDisagreements());
        } else if (convergence.millis() > convergence.targetMillis()) {
            out.add("converged after " + convergence.millis() + " ms (target " + convergence.targetMillis() + " ms)");
        }
        if (availability.unrecovered() > 0) {
            out.add(availability.unrecovered() + " probe keys still unwritable when the run ended");
        }
        if (availability.longestOutageMillis() > convergence.targetMillis()) {
            out.add("a slot range was unwritable for " + availability.longestOutageMillis() + " ms (target "
                    + convergence.targetMillis() + " ms): " + availability.longestOutage());
        }
        if (operations.sweepFailures() > 0) {
            out.add(operations.sweepFailures() + " keys could not be read in the final sweep (target 0)");
        }
        if (!metadata.checked()) {
            out.add("the final store could not be read from any broker: acknowledged metadata changes not checked");
        } else if (metadata.changesLost() > 0) {
            out.add(metadata.changesLost() + " acknowledged metadata changes lost (target 0): " + metadata.examplesLost().getFirst());
        }
        if (metadata.epochRegressions() > 0) {
            out.add(metadata.epochRegressions() + " epoch regressions (target 0): " + metadata.examplesRegressions().getFirst());
        }
        return out;
    }

    public boolean targetsMet() {
        return targetFailures().isEmpty();
    }
}
