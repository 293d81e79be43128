package io.undermoon.chaos;

import java.util.List;

/**
 * Decides whether a lost acknowledged write is explained by Redis's asynchronous replication.
 *
 * <p>A write sent at time {@code i}, acknowledged at {@code a} on slot {@code s} and found lost at
 * {@code d} is <em>inside a failover replication window</em> when some kill at time {@code k}, with
 * {@code i <= k <= d} (the killed master can only have applied it before it died), took away a node that mastered {@code s} around then (any layout recorded in
 * [k - w, k]) and either
 * <ul>
 *   <li>{@code k - a <= w}: the write may not have reached the replica yet (w is the window,
 *       2 s by default; the kill time is taken once the process is gone), or
 *   <li>in [k - w, k] the slot's data had a single copy (its master had no replica in sync: the
 *       replica was down or still resyncing, or a first failover had just promoted it): the node
 *       promoted next does not have the write however old it is.
 * </ul>
 * Everything else is "other": the system lost a write it should have kept. Kills of a single Redis
 * open no window: with the append-only file fsynced before every reply a restarted Redis has every
 * write it acknowledged, and no failover happens.
 */
final class LossClassifier {
    private final ClusterHistory history;
    private final List<KillEvent> kills;
    private final long windowMillis;

    LossClassifier(ClusterHistory history, List<KillEvent> kills, long windowMillis) {
        this.history = history;
        this.kills = List.copyOf(kills);
        this.windowMillis = windowMillis;
    }

    /** Why a lost write is inside a window, or OTHER when it is not. */
    enum Verdict { REPLICATION_LAG, SINGLE_COPY, OTHER }

    boolean insideWindow(String cluster, int slot, ReadVerdict.LostWrite write, long detectedMillis) {
        return classify(cluster, slot, write, detectedMillis) != Verdict.OTHER;
    }

    /** The first reason found, lag before single copy. */
    Verdict classify(String cluster, int slot, ReadVerdict.LostWrite write, long detectedMillis) {
        Verdict best = Verdict.OTHER;
        for (KillEvent k : kills) {
            long t = k.atMillis();
            if (t < write.issuedMillis() || t > detectedMillis) {
                continue;
            }
            if (!history.slotsMasteredBy(cluster, k.nodes(), t - windowMillis, t).get(slot)) {
                continue;
            }
            if (t - write.ackMillis() <= windowMillis) {
                return Verdict.REPLICATION_LAG;
            }
            if (history.singleCopy(cluster, slot, t - windowMillis, t)) {
                best = Verdict.SINGLE_COPY;
            }
        }
        return best;
    }
}
