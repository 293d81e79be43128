package io.undermoon.coordinator.loop;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs the problems of a loop once each: a problem is logged when it first appears or its message
 * changes, repeated only every {@code repeatAfter} (with how many times it happened meanwhile), and
 * its end is logged once as "no longer failing" (it works again, or it left the loop's list, as a
 * failed-over proxy does). Loops run several times a second; without this a broker that is down
 * would fill the log. Used by one loop thread at a time.
 */
public final class ErrorLog {
    private static final int MAX_KEYS = 10_000;

    /** Where the lines go (SLF4J in production, a list in tests). */
    public interface Sink {
        void warn(String line);

        void info(String line);

        static Sink of(Logger log) {
            return new Sink() {
                @Override
                public void warn(String line) {
                    log.warn(line);
                }

                @Override
                public void info(String line) {
                    log.info(line);
                }
            };
        }
    }

    private record Entry(String message, long loggedAtNanos, int suppressed) {}

    private final String loop;
    private final Sink sink;
    private final LongSupplier nanoTime;
    private final long repeatAfterNanos;
    private final Map<String, Entry> active = new HashMap<>();

    public ErrorLog(String loop, Sink sink, LongSupplier nanoTime, Duration repeatAfter) {
        this.loop = loop;
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.repeatAfterNanos = repeatAfter.toNanos();
    }

    /** Takes the problems of one round: logs the new ones and the ones that ended. */
    public void round(List<RoundError> errors) {
        long now = nanoTime.getAsLong();
        Set<String> seen = new HashSet<>();
        for (RoundError e : errors) {
            if (!seen.add(e.key())) {
                continue; // one line per key and round
            }
            Entry previous = active.get(e.key());
            if (previous == null || !previous.message().equals(e.message())) {
                sink.warn(loop + ": " + e.message());
                active.put(e.key(), new Entry(e.message(), now, 0));
            } else if (now - previous.loggedAtNanos() >= repeatAfterNanos) {
                sink.warn(loop + ": " + e.message() + " (still failing; " + (previous.suppressed() + 1)
                        + " times since last logged)");
                active.put(e.key(), new Entry(e.message(), now, 0));
            } else {
                active.put(e.key(), new Entry(previous.message(), previous.loggedAtNanos(), previous.suppressed() + 1));
            }
        }
        List<String> ended = active.keySet().stream().filter(k -> !seen.contains(k)).sorted().toList();
        for (String key : ended) {
            active.remove(key);
            sink.info(loop + ": " + key + ": no longer failing");
        }
        if (active.size() > MAX_KEYS) {
            active.clear();
        }
    }

    /** Keys failing as of the last round. */
    public Set<String> failing() {
        return Set.copyOf(active.keySet());
    }
}
