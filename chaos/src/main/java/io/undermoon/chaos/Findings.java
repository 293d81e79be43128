package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** What the checker clients saw, collected from every client thread. Thread-safe. */
final class Findings {
    /** A read that showed acknowledged writes gone. */
    record Loss(String cluster, String key, int slot, long detectedMillis, String observed,
            List<ReadVerdict.LostWrite> writes, boolean resurrected) {}

    /** A read that showed a value it should not (wrong), or an older state a write in doubt had produced (ambiguous). */
    record BadRead(String cluster, String key, long atMillis, String value, String what) {}

    final LongAdder setsAcked = new LongAdder();
    final LongAdder setsInDoubt = new LongAdder();
    final LongAdder deletesAcked = new LongAdder();
    final LongAdder deletesInDoubt = new LongAdder();
    final LongAdder readsVerified = new LongAdder();
    final LongAdder readsFailed = new LongAdder();
    final LongAdder inDoubtApplied = new LongAdder();
    final LongAdder sweepReads = new LongAdder();
    final LongAdder sweepFailures = new LongAdder();
    /** Cluster clients found to know a proxy of another cluster (and rebuilt). */
    final LongAdder strays = new LongAdder();
    private final List<Loss> losses = new ArrayList<>();
    private final List<BadRead> wrong = new ArrayList<>();
    private final List<BadRead> ambiguous = new ArrayList<>();
    private final Map<String, Long> errors = new TreeMap<>();

    void verdict(String cluster, String key, int slot, long now, String value, ReadVerdict v) {
        readsVerified.increment();
        switch (v) {
            case ReadVerdict.Expected e -> { }
            case ReadVerdict.InDoubtApplied a -> inDoubtApplied.increment();
            case ReadVerdict.Lost l -> add(losses, new Loss(cluster, key, slot, now, value == null ? "(absent)" : value,
                    l.writes(), l.resurrected()));
            case ReadVerdict.Ambiguous a -> add(ambiguous, new BadRead(cluster, key, now, value, a.what()));
            case ReadVerdict.Wrong w -> add(wrong, new BadRead(cluster, key, now, value, w.what()));
        }
    }

    /** A failed command, counted by a short description of the error. */
    synchronized void error(Exception e) {
        String m = String.valueOf(e.getMessage());
        int cut = m.indexOf(' ');
        String kind = e.getClass().getSimpleName() + ": " + (cut > 0 ? m.substring(0, Math.min(cut, 60)) : m);
        errors.merge(kind, 1L, Long::sum);
    }

    private synchronized <T> void add(List<T> list, T item) {
        list.add(item);
    }

    synchronized List<Loss> losses() {
        return List.copyOf(losses);
    }

    synchronized List<BadRead> wrong() {
        return List.copyOf(wrong);
    }

    synchronized List<BadRead> ambiguous() {
        return List.copyOf(ambiguous);
    }

    synchronized Map<String, Long> errors() {
        return Map.copyOf(errors);
    }
}
