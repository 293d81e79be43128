package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The global epochs the brokers answered ({@code GET /api/v3/epoch}), per broker address: the
 * epoch only ever grows, so an answer below the highest one the same address gave before (across
 * its restarts) is a regression. Brokers are compared with themselves only: a broker's watched copy
 * of etcd may trail another broker's by a moment, which is not a regression. Thread-safe.
 */
final class EpochTracker {
    private record Highest(long epoch, long atMillis) {}

    private final Map<String, Highest> highest = new HashMap<>();
    private final List<String> regressions = new ArrayList<>();
    private long answers;

    /** Records an answer; true when it went below what the broker answered before. */
    synchronized boolean observe(String broker, long atMillis, long epoch) {
        answers++;
        Highest h = highest.get(broker);
        if (h != null && epoch < h.epoch()) {
            regressions.add(broker + " answered epoch " + epoch + " at " + atMillis + " ms after " + h.epoch() + " at "
                    + h.atMillis() + " ms");
            return true;
        }
        if (h == null || epoch > h.epoch()) {
            highest.put(broker, new Highest(epoch, atMillis));
        }
        return false;
    }

    synchronized long answers() {
        return answers;
    }

    synchronized List<String> regressions() {
        return List.copyOf(regressions);
    }

    /** The highest epoch any broker answered (0 when none did). */
    synchronized long highest() {
        return highest.values().stream().mapToLong(Highest::epoch).max().orElse(0);
    }
}
