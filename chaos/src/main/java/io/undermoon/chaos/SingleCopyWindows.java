package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each shard (a master of a cluster) went without a synced replica: from the first poll
 * of the {@link ReplicationMonitor} that found its listed replica not attached in state
 * {@code online} (or the master itself unreachable) until the first poll that found it synced
 * again, or that no longer listed the master (failed over, scaled in, cluster deleted). Thread-safe.
 */
final class SingleCopyWindows {
    /** A shard: the master Redis of a cluster. */
    record Shard(String cluster, String master) {
        @Override
        public String toString() {
            return cluster + " " + master;
        }
    }

    /** One closed window. */
    record Window(Shard shard, String slots, long fromMillis, long toMillis) {
        long millis() {
            return toMillis - fromMillis;
        }
    }

    /** One shard's windows summed up. */
    record ShardSummary(Shard shard, String slots, int windows, long totalMillis, long longestMillis, long longestFromMillis) {}

    private record Open(String slots, long fromMillis) {}

    private final Map<Shard, Open> open = new HashMap<>();
    private final List<Window> closed = new ArrayList<>();

    /**
     * One poll: the shards found without a synced replica now, each with its slot ranges. A window
     * opens for a shard newly in the map and closes for one no longer in it.
     */
    synchronized void poll(long nowMillis, Map<Shard, String> unreplicated) {
        var it = open.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!unreplicated.containsKey(e.getKey())) {
                closed.add(new Window(e.getKey(), e.getValue().slots(), e.getValue().fromMillis(), nowMillis));
                it.remove();
            }
        }
        for (var e : unreplicated.entrySet()) {
            open.putIfAbsent(e.getKey(), new Open(e.getValue(), nowMillis));
        }
    }

    /** Closes the windows still open (the run ends). */
    synchronized void closeAll(long nowMillis) {
        poll(nowMillis, Map.of());
    }

    synchronized List<Window> windows() {
        return List.copyOf(closed);
    }

    /** Per shard, longest window first. */
    synchronized List<ShardSummary> byShard() {
        Map<Shard, List<Window>> m = new LinkedHashMap<>();
        for (Window w : closed) {
            m.computeIfAbsent(w.shard(), s -> new ArrayList<>()).add(w);
        }
        List<ShardSummary> out = new ArrayList<>();
        for (var e : m.entrySet()) {
            Window longest = e.getValue().stream().max(Comparator.comparingLong(Window::millis)).orElseThrow();
            long total = e.getValue().stream().mapToLong(Window::millis).sum();
            out.add(new ShardSummary(e.getKey(), longest.slots(), e.getValue().size(), total, longest.millis(), longest.fromMillis()));
        }
        out.sort(Comparator.comparingLong(ShardSummary::longestMillis).reversed());
        return out;
    }
}
