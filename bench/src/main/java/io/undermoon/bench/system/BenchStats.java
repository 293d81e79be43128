package io.undermoon.bench.system;

import java.util.ArrayList;
import java.util.List;

/** Summary figures of the system benchmarks' repeated runs. */
final class BenchStats {
    private BenchStats() {}

    static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
